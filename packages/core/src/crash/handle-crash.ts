import type { Config } from "../config/config-schema.js";
import { buildCrashReport } from "./crash-report.js";
import { sendCrashReport } from "./crash-send.js";
import { crashReportsDir, writeCrashReport } from "./crash-store.js";

type Env = Record<string, string | undefined>;

export interface HandleCrashOptions {
  telemetry: Config["telemetry"];
  version: string;
  projectRoot: string;
  command?: string;
  env?: Env;
  fetch?: typeof fetch;
}

export interface HandleCrashResult {
  /** Where the report was written; undefined when crash reporting is off. */
  file?: string;
  sent: boolean;
  /** Why sending failed, when it did. */
  sendError?: string;
}

/**
 * What to do with an uncaught error: nothing unless `telemetry.crash_reporting` is on; then write a redacted
 * report to `<dataDir>/crash-reports/`, and POST it only when `telemetry.endpoint` is configured.
 */
export async function handleCrash(error: unknown, options: HandleCrashOptions): Promise<HandleCrashResult> {
  if (!options.telemetry.crash_reporting) return { sent: false };
  const env = options.env ?? process.env;
  const report = buildCrashReport(error, {
    version: options.version,
    projectRoot: options.projectRoot,
    env,
    ...(options.command ? { command: options.command } : {}),
  });
  const file = await writeCrashReport(report, crashReportsDir(env));
  if (!options.telemetry.endpoint) return { file, sent: false };
  try {
    await sendCrashReport(report, options.telemetry.endpoint, options.fetch ? { fetch: options.fetch } : {});
    return { file, sent: true };
  } catch (err) {
    return { file, sent: false, sendError: err instanceof Error ? err.message : String(err) };
  }
}
