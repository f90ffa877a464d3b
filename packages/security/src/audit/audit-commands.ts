import path from "node:path";
import { dataDir, escapeControls, toJsonText } from "@codetether/core";
import type { CommandIo } from "../manifest/tools-commands.js";
import { listAuditFiles } from "./audit-files.js";
import { type AuditQuery, queryAuditDir } from "./audit-query.js";
import { verifyAuditDir } from "./audit-verify.js";

/** Where the audit log lives by default: `<dataDir>/audit`. */
export function defaultAuditDir(env: Record<string, string | undefined> = process.env): string {
  return path.join(dataDir(env), "audit");
}

/** `codetether audit verify [--dir DIR]`: exit 0 if the chain is intact, 1 naming the first bad record. */
export async function auditVerify(options: { dir?: string }, io: CommandIo): Promise<number> {
  const dir = options.dir ?? defaultAuditDir(io.env ?? process.env);
  try {
    if (listAuditFiles(dir).length === 0) {
      io.stderr.write(`error: no audit log in ${dir}\n`);
      return 1;
    }
    const result = verifyAuditDir(dir);
    if (result.ok) {
      const kept =
        result.firstSeq > 1 ? ` (seq ${result.firstSeq} on; older files deleted by retention)` : "";
      io.stdout.write(
        `OK: ${result.records} records verified in ${dir}${kept}; last hash ${result.lastHash}\n`,
      );
      return 0;
    }
    const bad = result.firstBad!;
    io.stdout.write(
      `TAMPERED: first bad record seq ${bad.seq} (${bad.file}${bad.line ? ` line ${bad.line}` : ""}): ${bad.reason}\n` +
        `${result.records} records before it verified\n`,
    );
    return 1;
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}

export interface AuditQueryCommandOptions extends Omit<AuditQuery, "since" | "until"> {
  dir?: string;
  since?: string;
  until?: string;
  /** Print JSON Lines instead of a table. */
  json?: boolean;
}

/** `codetether audit query [--actor A] [--action A] [--resource R] [--outcome O] [--since T] [--until T] [--after SEQ] [--limit N] [--json]`. */
export async function auditQuery(options: AuditQueryCommandOptions, io: CommandIo): Promise<number> {
  const { dir: dirOption, json, ...query } = options;
  const dir = dirOption ?? defaultAuditDir(io.env ?? process.env);
  try {
    const page = queryAuditDir(dir, query);
    // Records carry what models and clients sent (tool arguments, paths, errors). JSON escapes C0 controls but not
    // C1 ones (U+009B is CSI) or bidi overrides: toJsonText escapes those too (still the same JSON), escapeControls
    // every table field, so printing the trail cannot drive the terminal.
    for (const r of page.records) {
      const fields = [r.seq, r.time, r.actor, r.action, r.resource, r.outcome].map((f) =>
        escapeControls(String(f)),
      );
      io.stdout.write(
        json ? toJsonText(r) : `${fields.join("\t")}\t${escapeControls(JSON.stringify(r.details))}\n`,
      );
    }
    if (page.next_after !== undefined) io.stderr.write(`more: --after ${page.next_after}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}
