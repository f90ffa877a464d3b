// Loaded only after an uncaught error (or on a TTY start-up, for the notice): never on `--version`.
// @codetether/core is imported only when there is something to do (it costs ~100 ms to load).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type Env = Record<string, string | undefined>;

export interface CrashHookOptions {
  version: string;
  argv: string[];
  cwd?: string;
  env?: Env;
  stderr?: NodeJS.WritableStream;
  fetch?: typeof fetch;
}

/**
 * Writes (and, with `telemetry.endpoint`, sends) a crash report when `telemetry.crash_reporting` is on.
 * Never throws: a broken config or a full disk must not hide the original error.
 */
export async function reportCrash(error: unknown, options: CrashHookOptions): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const stderr = options.stderr ?? process.stderr;
  try {
    const { findGitRoot, handleCrash, loadConfig } = await import("@codetether/core");
    const { config } = loadConfig({ cwd, env });
    const result = await handleCrash(error, {
      telemetry: config.telemetry,
      version: options.version,
      projectRoot: findGitRoot(cwd) ?? cwd,
      env,
      ...(options.argv[0] ? { command: options.argv[0] } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (result.file) {
      stderr.write(
        `codetether: a crash report was saved to ${result.file}${result.sent ? ` and sent to ${config.telemetry.endpoint}` : ""}.\n`,
      );
    }
    if (result.sendError) stderr.write(`codetether: could not send the crash report: ${result.sendError}\n`);
  } catch (err) {
    stderr.write(`codetether: could not write a crash report: ${(err as Error).message}\n`);
  }
}

/** Core's `crashReportsDir`, without loading core (a test keeps the two equal). */
export function quickCrashReportsDir(env: Env): string {
  const data = env.CODETETHER_DATA_DIR
    ? path.resolve(env.CODETETHER_DATA_DIR)
    : path.join(env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share"), "codetether");
  return path.join(data, "crash-reports");
}

/** On a TTY, a one-line notice about crash reports left by earlier runs (shown once per report). */
export async function showCrashNotice(io: {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Env;
}): Promise<void> {
  if (!io.stderr.isTTY) return;
  let names: string[];
  try {
    names = fs.readdirSync(quickCrashReportsDir(io.env));
  } catch {
    return; // No crash-reports directory: the common case, decided without loading core.
  }
  if (!names.some((n) => n.startsWith("crash-") && n.endsWith(".json") && !n.endsWith(".seen.json"))) return;
  const { crashNotice, crashReportsDir } = await import("@codetether/core");
  const notice = crashNotice(crashReportsDir(io.env));
  if (notice) io.stderr.write(`${notice}\n`);
}
