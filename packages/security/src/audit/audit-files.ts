import fs from "node:fs";
import path from "node:path";

/** The file new records are appended to; rotated files are `audit-<n>.jsonl` (n = 1, 2, ... oldest first). */
export const CURRENT_FILE = "audit.jsonl";
/** Fixed-size marker with the seq and hash of the last record, so cutting records off the end is detectable. */
export const HEAD_FILE = "audit.head";
export const HEAD_SIZE = 160;

const ROTATED = /^audit-(\d{6,})\.jsonl$/;

/** All log files in chain order (rotated oldest first, then the current file). */
export function listAuditFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const rotated = names
    .map((name) => ({ name, match: ROTATED.exec(name) }))
    .filter((entry) => entry.match !== null)
    .sort((a, b) => Number(a.match![1]) - Number(b.match![1]))
    .map((entry) => path.join(dir, entry.name));
  if (names.includes(CURRENT_FILE)) rotated.push(path.join(dir, CURRENT_FILE));
  return rotated;
}

/** Next rotated file name. */
export function nextRotatedName(dir: string): string {
  const files = listAuditFiles(dir).map((file) => ROTATED.exec(path.basename(file)));
  const last = files.reduce((max, match) => (match ? Math.max(max, Number(match[1])) : max), 0);
  return path.join(dir, `audit-${String(last + 1).padStart(6, "0")}.jsonl`);
}

const TAIL_WINDOW = 64 * 1024;

/**
 * The last complete line of `file` (the text before its final newline; a torn tail after it is ignored), read from
 * the end so opening a large log costs one small read. Undefined when the file holds no complete line.
 */
export function readLastLine(file: string): string | undefined {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    for (let window = TAIL_WINDOW; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      const end = buf.lastIndexOf(0x0a);
      if (end === -1 && start === 0) return undefined;
      // A negative offset would count from the end: a line ending at byte 0 starts there.
      const before = end <= 0 ? -1 : buf.lastIndexOf(0x0a, end - 1);
      if (end !== -1 && (before !== -1 || start === 0)) return buf.subarray(before + 1, end).toString("utf8");
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A file split into complete lines; `torn` is trailing text without a newline (an interrupted write). */
export interface SplitFile {
  lines: string[];
  torn?: string;
}

export function readLines(file: string): SplitFile {
  const text = fs.readFileSync(file, "utf8");
  const parts = text.split("\n");
  const last = parts.pop() ?? "";
  return last === "" ? { lines: parts } : { lines: parts, torn: last };
}

export interface HeadMarker {
  seq: number;
  hash: string;
}

export function readHead(dir: string): HeadMarker | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, HEAD_FILE), "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  if (text === "") return undefined; // created, not yet written
  try {
    const parsed = JSON.parse(text) as Partial<HeadMarker>;
    if (typeof parsed.seq === "number" && typeof parsed.hash === "string") {
      return { seq: parsed.seq, hash: parsed.hash };
    }
  } catch {
    // fall through
  }
  throw new Error(
    `audit head marker ${path.join(dir, HEAD_FILE)} is corrupt: ${JSON.stringify(text.slice(0, 80))}`,
  );
}

/** Encodes the head marker as a fixed-size block so it can be overwritten in place with one write. */
export function encodeHead(head: HeadMarker): Buffer {
  const json = JSON.stringify(head);
  return Buffer.from(json.padEnd(HEAD_SIZE - 1, " ") + "\n", "utf8");
}
