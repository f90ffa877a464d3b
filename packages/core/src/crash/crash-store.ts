import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { dataDir } from "../util/xdg-paths.js";
import { type CrashReport, CrashReportSchema } from "./crash-report.js";

type Env = Record<string, string | undefined>;

const UNSEEN = /^crash-.+(?<!\.seen)\.json$/;

/** `<dataDir>/crash-reports`. */
export function crashReportsDir(env: Env = process.env): string {
  return path.join(dataDir(env), "crash-reports");
}

/** Writes the report atomically, readable by the user only. Returns its path. */
export async function writeCrashReport(report: CrashReport, dir: string): Promise<string> {
  const file = path.join(dir, `crash-${report.id}.json`);
  await writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** Reports not yet announced to the user, oldest first. A missing directory means none. */
export function unseenCrashReports(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => UNSEEN.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Marks reports as announced (renames `crash-X.json` to `crash-X.seen.json`). */
export function markCrashReportsSeen(files: string[]): void {
  for (const file of files) {
    try {
      fs.renameSync(file, file.replace(/\.json$/, ".seen.json"));
    } catch {
      // Already renamed by a concurrent start: fine.
    }
  }
}

/** Reads and validates a report file. */
export function readCrashReport(file: string): CrashReport {
  const parsed = CrashReportSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file} is not a codetether crash report: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * The one-line notice shown at start-up when earlier crashes left reports, or undefined. Reports are marked
 * seen once announced, so the notice shows once per crash.
 */
export function crashNotice(dir: string): string | undefined {
  const files = unseenCrashReports(dir);
  if (files.length === 0) return undefined;
  markCrashReportsSeen(files);
  const last = (files.at(-1) as string).replace(/\.json$/, ".seen.json");
  const what = files.length === 1 ? "A crash report was" : `${files.length} crash reports were`;
  return `codetether: ${what} saved after the last run. Show it with: cat ${JSON.stringify(last)} (nothing was sent anywhere unless telemetry.endpoint is set).`;
}
