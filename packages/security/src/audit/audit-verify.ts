import path from "node:path";
import { listAuditFiles, readHead, readLines } from "./audit-files.js";
import { type AuditRecord, AuditRecordSchema, GENESIS_HASH, hashRecord } from "./audit-record.js";

export interface AuditProblem {
  /** The seq at which the chain first breaks (the record expected at that position). */
  seq: number;
  file: string;
  /** 1-based line number in `file`. */
  line: number;
  reason: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Records verified before the first problem (all of them when ok). */
  records: number;
  /** seq of the first record kept (1 unless retention deleted older files). */
  firstSeq: number;
  firstBad?: AuditProblem;
  /** Hash of the last good record: publish it elsewhere to anchor the log against a full rewrite. */
  lastHash: string;
}

/**
 * Re-checks the whole chain in `dir` without modifying anything: every line parses, seqs run 1, 2, 3...
 * across rotated files, each `prev_hash` is the previous record's `hash`, each `hash` matches the content,
 * and the head marker does not point past the end (truncation). Reports the first problem.
 *
 * A log whose oldest files were deleted by retention starts at a later seq: that is accepted only when the
 * retained chain holds the `audit.pruned` record naming exactly that seq and prev_hash as the first one kept,
 * so deleting any further file is still detected.
 */
export function verifyAuditDir(dir: string): AuditVerifyResult {
  const files = listAuditFiles(dir);
  const start = firstOf(files);
  let expected = start?.seq ?? 1;
  let prev = start?.prev_hash ?? GENESIS_HASH;
  let pruneRecorded = expected === 1;
  const bad = (file: string, line: number, reason: string): AuditVerifyResult => ({
    ok: false,
    records: expected - (start?.seq ?? 1),
    firstSeq: start?.seq ?? 1,
    firstBad: { seq: expected, file: path.basename(file), line, reason },
    lastHash: prev,
  });
  for (const [fileIndex, file] of files.entries()) {
    const { lines, torn } = readLines(file);
    for (const [index, text] of lines.entries()) {
      const line = index + 1;
      let record: AuditRecord;
      try {
        const parsed = AuditRecordSchema.safeParse(JSON.parse(text));
        if (!parsed.success) return bad(file, line, `malformed record: ${parsed.error.issues[0]?.message}`);
        record = parsed.data;
      } catch {
        return bad(file, line, "line is not valid JSON (edited or corrupted)");
      }
      if (record.seq > expected) {
        return bad(file, line, `found seq ${record.seq} where seq ${expected} was expected: records deleted`);
      }
      if (record.seq < expected) {
        return bad(
          file,
          line,
          `found seq ${record.seq} after seq ${expected - 1}: records reordered or duplicated`,
        );
      }
      if (record.prev_hash !== prev) {
        return bad(file, line, "prev_hash does not match the previous record's hash: chain broken");
      }
      if (hashRecord(record) !== record.hash) {
        return bad(file, line, "hash does not match the record's content: record was modified");
      }
      if (
        !pruneRecorded &&
        record.action === "audit.pruned" &&
        record.details.first_seq === start?.seq &&
        record.details.first_prev_hash === start?.prev_hash
      ) {
        pruneRecorded = true;
      }
      prev = record.hash;
      expected++;
    }
    if (torn !== undefined) {
      const where = fileIndex === files.length - 1 ? "torn last line" : "torn line inside a rotated file";
      return bad(
        file,
        lines.length + 1,
        `${where} (${torn.length} bytes without newline: interrupted write); reopening the log repairs it`,
      );
    }
  }
  if (!pruneRecorded && files[0]) {
    return {
      ok: false,
      records: 0,
      firstSeq: start?.seq ?? 1,
      firstBad: {
        seq: 1,
        file: path.basename(files[0]),
        line: 1,
        reason: `the log starts at seq ${start?.seq} but no audit.pruned record names it as the first kept record: records before it were deleted`,
      },
      lastHash: prev,
    };
  }
  let head: ReturnType<typeof readHead>;
  try {
    head = readHead(dir);
  } catch (err) {
    const last = files.at(-1) ?? path.join(dir, "audit.jsonl");
    return bad(last, 0, (err as Error).message);
  }
  if (head && head.seq > expected - 1) {
    const last = files.at(-1) ?? path.join(dir, "audit.jsonl");
    return bad(
      last,
      0,
      `log truncated: head marker records seq ${head.seq} but the log ends at seq ${expected - 1}`,
    );
  }
  if (head && head.seq === expected - 1 && head.seq > 0 && head.hash !== prev) {
    const last = files.at(-1) ?? path.join(dir, "audit.jsonl");
    return {
      ok: false,
      records: head.seq - (start?.seq ?? 1),
      firstSeq: start?.seq ?? 1,
      firstBad: {
        seq: head.seq,
        file: path.basename(last),
        line: 0,
        reason: "head marker hash differs: log rewritten",
      },
      lastHash: prev,
    };
  }
  return { ok: true, records: expected - (start?.seq ?? 1), firstSeq: start?.seq ?? 1, lastHash: prev };
}

/** seq and prev_hash of the first parsable record of the first file (where the retained chain starts). */
function firstOf(files: string[]): { seq: number; prev_hash: string } | undefined {
  const text = files[0] ? readLines(files[0]).lines[0] : undefined;
  if (text === undefined) return undefined;
  try {
    const parsed = AuditRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? { seq: parsed.data.seq, prev_hash: parsed.data.prev_hash } : undefined;
  } catch {
    return undefined;
  }
}
