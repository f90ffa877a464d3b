import fs from "node:fs";
import path from "node:path";
import { redactSecrets, redactText } from "../redact/redact-secrets.js";
import {
  CURRENT_FILE,
  encodeHead,
  HEAD_FILE,
  type HeadMarker,
  listAuditFiles,
  nextRotatedName,
  readHead,
  readLastLine,
  readLines,
} from "./audit-files.js";
import { AuditLock } from "./audit-lock.js";
import { type AuditQuery, type AuditQueryResult, queryAuditDir } from "./audit-query.js";
import {
  type AuditEntry,
  type AuditRecord,
  GENESIS_HASH,
  hashRecord,
  isAuditRecord,
} from "./audit-record.js";
import { type AuditVerifyResult, verifyAuditDir } from "./audit-verify.js";

export type FsyncPolicy = "always" | "batch" | "never";

export interface AuditLogOptions {
  dir: string;
  /** `always`: fsync every record (survives power loss); `batch` (default): at most every `batchMs`;
   * `never`: rely on the OS. Every record is written with its own write(2), so a process crash loses nothing. */
  fsync?: FsyncPolicy;
  /** Rotate the current file once it would exceed this size (default 10 MiB). */
  maxBytes?: number;
  /**
   * Rotated files kept (default 10, so at most ~110 MiB with the default size); older ones are deleted on
   * rotation. Each deletion is first recorded in the chain (`audit.pruned`, naming the first kept seq and its
   * prev_hash), so `verify` checks the chain from the oldest kept file and still detects any other deletion.
   * `0` keeps every file.
   */
  retainFiles?: number;
  /** fsync interval for the `batch` policy (default 1000 ms). */
  batchMs?: number;
  /** Exact secret values to mask in details besides the pattern-based redaction. */
  knownSecrets?: readonly string[];
}

/**
 * Append-only, hash-chained JSON Lines audit trail. Appends are serialised within this process by a queue
 * and across processes (server and CLI sharing a data dir) by a lock file; each writer catches up with
 * records others appended. A torn last line left by a crash is moved to `audit.torn-<time>` and the
 * recovery is itself audited.
 */
export class AuditLog {
  private fd: number;
  private size: number;
  private readonly headFd: number;
  private last: HeadMarker;
  private queue: Promise<unknown> = Promise.resolve();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly lock: AuditLock;

  private constructor(
    readonly dir: string,
    private readonly options: Required<Omit<AuditLogOptions, "dir" | "knownSecrets">> & {
      knownSecrets: readonly string[];
    },
    last: HeadMarker,
  ) {
    this.last = last;
    this.lock = new AuditLock(dir);
    const current = path.join(dir, CURRENT_FILE);
    this.fd = fs.openSync(current, "a", 0o600);
    this.size = fs.fstatSync(this.fd).size;
    // O_CREAT without O_TRUNC: another process may own a head already; not O_APPEND, we overwrite at offset 0.
    this.headFd = fs.openSync(path.join(dir, HEAD_FILE), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  }

  static async open(options: AuditLogOptions): Promise<AuditLog> {
    const dir = path.resolve(options.dir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { recovered, last } = new AuditLock(dir).with(() => {
      const recovered = repairTornTail(dir);
      const last = lastRecord(dir);
      const head = readHead(dir);
      if (head && head.seq > last.seq) {
        throw new Error(
          `audit log in ${dir} is truncated: the head marker records seq ${head.seq} but the log ends at seq ${last.seq}. ` +
            "Records were removed; run `codetether audit verify` and investigate before moving the directory aside.",
        );
      }
      return { recovered, last };
    });
    const log = new AuditLog(
      dir,
      {
        fsync: options.fsync ?? "batch",
        maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
        retainFiles: options.retainFiles ?? 10,
        batchMs: options.batchMs ?? 1000,
        knownSecrets: options.knownSecrets ?? [],
      },
      last,
    );
    log.lock.with(() => {
      if (log.head().seq >= (readHead(dir)?.seq ?? 0)) log.writeHead(); // catch up a head that lagged a crash
    });
    if (recovered) await log.append(recoveryEntry(recovered));
    return log;
  }

  /** Appends one record; resolves once it has been written (and fsynced under `always`). */
  append(entry: AuditEntry): Promise<AuditRecord> {
    const result = this.queue.then(() => this.write(entry));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** seq and hash of the last record (seq 0 when empty). */
  head(): HeadMarker {
    return { ...this.last };
  }

  query(query: AuditQuery = {}): Promise<AuditQueryResult> {
    return this.queue.then(() => queryAuditDir(this.dir, query));
  }

  verify(): Promise<AuditVerifyResult> {
    return this.queue.then(() => verifyAuditDir(this.dir));
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.dirty && this.options.fsync !== "never") fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    fs.closeSync(this.headFd);
  }

  private write(entry: AuditEntry): AuditRecord {
    if (this.closed) throw new Error("audit log is closed");
    return this.lock.with(() => {
      const recovered = this.catchUp();
      if (recovered) this.writeLocked(recoveryEntry(recovered));
      return this.writeLocked(entry);
    });
  }

  /** Another process may have appended or rotated since our last write: follow the current file and head. */
  private catchUp(): ReturnType<typeof repairTornTail> {
    const current = path.join(this.dir, CURRENT_FILE);
    const onDisk = fs.statSync(current, { throwIfNoEntry: false });
    if (!onDisk || onDisk.ino !== fs.fstatSync(this.fd).ino) {
      fs.closeSync(this.fd);
      this.fd = fs.openSync(current, "a", 0o600);
    }
    this.size = fs.fstatSync(this.fd).size;
    let recovered: ReturnType<typeof repairTornTail>;
    if (this.size > 0 && !endsWithNewline(current)) {
      recovered = repairTornTail(this.dir); // a writer died mid-line
      this.size = fs.fstatSync(this.fd).size;
    }
    const head = readHead(this.dir);
    if (recovered || !head || head.seq !== this.last.seq || head.hash !== this.last.hash) {
      this.last = lastRecord(this.dir);
    }
    return recovered;
  }

  /** `internal`: a record the log writes itself (no redaction: its hashes would look like secrets). */
  private writeLocked(entry: AuditEntry, internal = false): AuditRecord {
    for (const field of ["actor", "action", "resource", "outcome"] as const) {
      if (typeof entry[field] !== "string" || entry[field] === "") {
        throw new TypeError(`audit entry needs a non-empty string "${field}"`);
      }
    }
    const body = {
      seq: this.last.seq + 1,
      time: new Date().toISOString(),
      actor: redactText(entry.actor, this.options.knownSecrets),
      action: entry.action,
      resource: redactText(entry.resource, this.options.knownSecrets),
      outcome: entry.outcome,
      details: internal
        ? (entry.details ?? {})
        : redactSecrets(entry.details ?? {}, this.options.knownSecrets),
      prev_hash: this.last.hash,
    };
    const record: AuditRecord = { ...body, hash: hashRecord(body) };
    const line = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    if (this.size > 0 && this.size + line.length > this.options.maxBytes) {
      this.rotate();
      // The prune record takes this seq; the entry is rebuilt after it (the new file is empty: no loop).
      if (this.pruneOldFiles()) return this.writeLocked(entry);
    }
    fs.writeSync(this.fd, line);
    this.size += line.length;
    this.last = { seq: record.seq, hash: record.hash };
    this.writeHead();
    this.sync();
    return record;
  }

  private rotate(): void {
    if (this.options.fsync !== "never") fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    fs.renameSync(path.join(this.dir, CURRENT_FILE), nextRotatedName(this.dir));
    this.fd = fs.openSync(path.join(this.dir, CURRENT_FILE), "a", 0o600);
    this.size = 0;
  }

  /**
   * Deletes rotated files beyond `retainFiles`, oldest first. The deletion is recorded in the chain before
   * any file goes: `audit.pruned` with the first seq kept and that record's prev_hash, which is what
   * `verifyAuditDir` accepts as the start of a pruned chain. Returns whether a record was written.
   */
  private pruneOldFiles(): boolean {
    const keep = this.options.retainFiles;
    if (keep <= 0) return false;
    const rotated = listAuditFiles(this.dir).filter((file) => path.basename(file) !== CURRENT_FILE);
    const doomed = rotated.slice(0, Math.max(0, rotated.length - keep));
    const firstKept = rotated[doomed.length];
    if (doomed.length === 0 || !firstKept) return false;
    const first = firstRecord(firstKept);
    if (!first) return false;
    this.writeLocked(
      {
        actor: "audit",
        action: "audit.pruned",
        resource: path.basename(firstKept),
        outcome: "success",
        details: {
          first_seq: first.seq,
          first_prev_hash: first.prev_hash,
          deleted: doomed.map((file) => path.basename(file)),
          retain_files: keep,
        },
      },
      true,
    );
    for (const file of doomed) fs.rmSync(file, { force: true });
    return true;
  }

  private writeHead(): void {
    fs.writeSync(this.headFd, encodeHead(this.last), 0, undefined, 0);
  }

  private sync(): void {
    if (this.options.fsync === "always") {
      fs.fsyncSync(this.fd);
      fs.fsyncSync(this.headFd);
    } else if (this.options.fsync === "batch") {
      this.dirty = true;
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        if (this.dirty && !this.closed) {
          this.dirty = false;
          fs.fsyncSync(this.fd);
          fs.fsyncSync(this.headFd);
        }
      }, this.options.batchMs).unref();
    }
  }
}

function recoveryEntry(recovered: NonNullable<ReturnType<typeof repairTornTail>>): AuditEntry {
  return {
    actor: "audit",
    action: "audit.recovered",
    resource: recovered.file,
    outcome: "success",
    details: { torn_bytes: recovered.bytes, saved_to: recovered.savedTo },
  };
}

/** Whether `file` is empty or ends with a newline (no torn tail), reading only its last byte. */
function endsWithNewline(file: string): boolean {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    fs.closeSync(fd);
  }
}

/** Moves an unterminated last line (a write interrupted by a crash) out of the log. */
function repairTornTail(dir: string): { file: string; bytes: number; savedTo: string } | undefined {
  const file = listAuditFiles(dir).at(-1);
  if (!file || endsWithNewline(file)) return undefined; // the usual case: one byte read, not the whole log
  const { lines, torn } = readLines(file);
  if (torn === undefined) return undefined;
  const keep = lines.length === 0 ? 0 : Buffer.byteLength(`${lines.join("\n")}\n`, "utf8");
  const savedTo = path.join(dir, `audit.torn-${Date.now()}`);
  fs.writeFileSync(savedTo, torn, { mode: 0o600 });
  fs.truncateSync(file, keep);
  return {
    file: path.basename(file),
    bytes: Buffer.byteLength(torn, "utf8"),
    savedTo: path.basename(savedTo),
  };
}

/** The first record of a file (seq and prev_hash), if it has a parsable one. */
function firstRecord(file: string): { seq: number; prev_hash: string } | undefined {
  const text = readLines(file).lines[0];
  if (text === undefined) return undefined;
  try {
    const record: unknown = JSON.parse(text);
    return isAuditRecord(record) ? { seq: record.seq, prev_hash: record.prev_hash } : undefined;
  } catch {
    return undefined;
  }
}

/** The last complete record, searching back through rotated files if the current one is empty. */
function lastRecord(dir: string): HeadMarker {
  for (const file of listAuditFiles(dir).reverse()) {
    const text = readLastLine(file);
    if (text === undefined) continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      record = undefined;
    }
    if (!isAuditRecord(record)) {
      throw new Error(
        `audit log ${file} line ${readLines(file).lines.length} is corrupt, so the chain cannot be continued. ` +
          "Run `codetether audit verify` to locate the damage.",
      );
    }
    return { seq: record.seq, hash: record.hash };
  }
  return { seq: 0, hash: GENESIS_HASH };
}
