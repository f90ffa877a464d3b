import fs from "node:fs/promises";
import path from "node:path";
import {
  CONTEXT_SEED,
  encodeId,
  hash32,
  hashBytes,
  MAX_ID_BYTES,
  PACKED_UUID,
  type TaskIndex,
  type TaskIndexEntry,
  timeHigh,
  timeLow,
} from "./task-index.js";

/** The index file in the task directory (a dot file: never taken for a task). */
export const JOURNAL_FILE = ".index.bin";
/** The JSON-lines index of earlier versions: replaced by a rebuild from the task files, then deleted. */
export const LEGACY_JOURNAL_FILE = ".index.jsonl";

const MAGIC = Buffer.from("CTTIDX2\n", "latin1");
const ENTRY = 1;
const DELETE = 2;
const SCOPE = 3;
/** Written once per process before its first task file write. */
const OPEN = 4;
/** The last record after a graceful close. */
const CLEAN = 5;
/** Every record ends with the FNV-1a hash of its bytes, so a damaged record is noticed. */
const CHECK = 4;
/** Size of a task's record with a UUID id (the smallest, so file size / this bounds the task count). */
const ENTRY_BYTES_UUID = 2 + 16 + 17 + CHECK;
/** Read buffer: larger than the largest record (a scope name is at most 64 KiB). */
const READ_CHUNK = 256 * 1024;

/** What reading the file found. */
export interface JournalReadResult {
  /** The last writer closed it cleanly: every task file is known to have its record. */
  clean: boolean;
  /** No damaged record (a torn last record, a crash mid-append, is cut off and does not count). */
  intact: boolean;
}

/**
 * The task index on disk, in binary: fixed-layout records appended after the task's own file is in place —
 * a task's entry (id packed as in TaskIndex, scope number, context-id hash, state, time), a deletion, or a
 * scope's name (tenant and owner, written once) — each with a checksum. A restart reads this one file
 * straight into the index's typed arrays, creating no object per task, instead of every task file. The
 * task files stay the truth: a damaged index is rebuilt from them (see FileTaskStore), and a rewrite
 * (compaction, rebuild) writes the index's live entries to a temp file renamed over this one.
 */
export class TaskJournal {
  readonly file: string;
  /** Records in the file (compaction is due when far more than the live tasks). */
  records = 0;
  private handle: fs.FileHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private opened: Promise<unknown> | undefined;
  /** Scope name → its number in this file. */
  private scopes = new Map<string, number>();
  /** This process changed the file since it was read (then `close` marks it clean). */
  private dirty = false;

  constructor(dir: string) {
    this.file = path.join(dir, JOURNAL_FILE);
  }

  /** Reads the file into `index` (nothing is read when it is damaged: the caller rebuilds). */
  async read(index: TaskIndex): Promise<JournalReadResult> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      return { clean: false, intact: true };
    }
    try {
      const size = (await handle.stat()).size;
      // Sized for the records the file can hold, so the index's arrays are allocated once.
      index.reserve(Math.floor(size / ENTRY_BYTES_UUID));
      return await this.readRecords(handle, size, index);
    } finally {
      await handle.close();
    }
  }

  /** Parses the file chunk by chunk (no copy of the whole file in memory), straight into the index. */
  private async readRecords(
    handle: fs.FileHandle,
    size: number,
    index: TaskIndex,
  ): Promise<JournalReadResult> {
    const damaged = { clean: false, intact: false };
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let filled = (await handle.read(chunk, 0, MAGIC.length, 0)).bytesRead;
    if (filled < MAGIC.length || !chunk.subarray(0, MAGIC.length).equals(MAGIC)) return damaged;
    const fileScopes: number[] = []; // the file's scope number → the index's
    const names = new Map<string, number>();
    let position = MAGIC.length; // file offset of chunk[0]
    let clean = false;
    let records = 0;
    filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, filled, chunk.length - filled, position + filled);
      filled += bytesRead;
      const eof = position + filled >= size || bytesRead === 0;
      let at = 0;
      while (at < filled) {
        const end = recordEnd(chunk, at, filled);
        if (end === undefined) return damaged;
        if (end + CHECK > filled) break; // the rest is in the next chunk, or torn at the end of the file
        if (hashBytes(chunk, at, end - at) !== view.getInt32(end, true)) return damaged;
        const kind = chunk[at]!;
        clean = kind === CLEAN;
        if (kind === ENTRY) {
          const code = chunk[at + 1]!;
          const p = at + 2 + idSize(code);
          const scope = fileScopes[view.getUint32(p, true)];
          if (scope === undefined) return damaged;
          const hi = view.getInt32(p + 9, true);
          const lo = view.getInt32(p + 13, true);
          index.setEncoded(chunk, at + 2, code, scope, view.getInt32(p + 4, true), chunk[p + 8]!, hi, lo);
        } else if (kind === DELETE) {
          index.deleteEncoded(chunk, at + 2, chunk[at + 1]!);
        } else if (kind === SCOPE) {
          const key = chunk.toString("utf8", at + 7, end);
          fileScopes[view.getUint32(at + 1, true)] = index.scopeOfKey(key);
          names.set(key, view.getUint32(at + 1, true));
        }
        records++;
        at = end + CHECK;
      }
      chunk.copy(chunk, 0, at, filled);
      position += at;
      filled -= at;
      if (eof) break;
    }
    if (filled > 0) {
      // A torn last record (a crash mid-append): cut it so the next append starts on a record boundary.
      await fs.truncate(this.file, position);
      clean = false;
    }
    this.records = records;
    this.scopes = names;
    return { clean, intact: true };
  }

  /** Records, once per process and before its first task file write, that a writer is at work. */
  markOpen(): Promise<unknown> {
    this.opened ??= this.append1(Buffer.from([OPEN]));
    return this.opened;
  }

  /** Appends a task's entry (and its scope's name, the first time). */
  append(entry: TaskIndexEntry): Promise<void> {
    return this.enqueue(async () => {
      const key = `${entry.tenant}\u0000${entry.owner}`;
      const parts: Buffer[] = [];
      let scope = this.scopes.get(key);
      if (scope === undefined) {
        scope = this.scopes.size;
        this.scopes.set(key, scope);
        parts.push(scopeRecord(scope, key));
      }
      const id = Buffer.alloc(MAX_ID_BYTES);
      const code = encodeId(entry.id, id);
      parts.push(
        entryRecord(
          id,
          0,
          code,
          scope,
          hash32(entry.contextId, CONTEXT_SEED),
          entry.state,
          timeHigh(entry.time),
          timeLow(entry.time),
        ),
      );
      await this.write(Buffer.concat(parts), parts.length);
    });
  }

  remove(id: string): Promise<void> {
    const bytes = Buffer.alloc(MAX_ID_BYTES);
    const code = encodeId(id, bytes);
    const size = idSize(code);
    const record = Buffer.alloc(2 + size + CHECK);
    record[0] = DELETE;
    record[1] = code;
    bytes.copy(record, 2, 0, size);
    return this.append1(seal(record));
  }

  /**
   * Replaces the file with the index's live entries (temp file, fsync, rename). Only while no task write is
   * pending: the entries must be the states the task files hold.
   */
  rewrite(index: TaskIndex): Promise<void> {
    return this.enqueue(async () => {
      await this.handle?.close();
      this.handle = undefined;
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.rewrite`;
      const out = await fs.open(tmp, "w", 0o600);
      const scopes = new Map<string, number>();
      const records: Buffer[] = [MAGIC];
      index.forEachEncoded((bytes, start, code, key, context, state, hi, lo) => {
        let scope = scopes.get(key);
        if (scope === undefined) {
          scope = scopes.size;
          scopes.set(key, scope);
          records.push(scopeRecord(scope, key));
        }
        records.push(entryRecord(bytes, start, code, scope, context, state, hi, lo));
      });
      try {
        await out.write(Buffer.concat(records));
        await out.sync();
      } finally {
        await out.close();
      }
      await fs.rename(tmp, this.file);
      this.dirty = true;
      this.scopes = scopes;
      this.records = records.length - 1;
    });
  }

  /** Deletes the JSON-lines index of an earlier version, once this file replaces it. */
  async removeLegacy(): Promise<void> {
    await fs.rm(path.join(path.dirname(this.file), LEGACY_JOURNAL_FILE), { force: true });
  }

  /** Marks the file closed cleanly (when this process wrote to it) and closes it. */
  close(): Promise<void> {
    if (this.dirty)
      void this.append1(Buffer.from([CLEAN])).then(() => {
        this.dirty = false;
      });
    return this.enqueue(async () => {
      await this.handle?.sync();
      await this.handle?.close();
      this.handle = undefined;
    });
  }

  private append1(record: Buffer): Promise<void> {
    const sealed = record.length === 1 ? seal(Buffer.concat([record, Buffer.alloc(CHECK)])) : record;
    return this.enqueue(() => this.write(sealed, 1));
  }

  private async write(data: Buffer, records: number): Promise<void> {
    if (!this.handle) {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      this.handle = await fs.open(this.file, "a", 0o600);
      if ((await this.handle.stat()).size === 0) await this.handle.write(MAGIC);
    }
    await this.handle.write(data);
    this.dirty = true;
    this.records += records;
  }

  private enqueue(run: () => Promise<void>): Promise<void> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function idSize(code: number): number {
  return code === PACKED_UUID ? 16 : code;
}

/**
 * Where the record at `at` ends (its checksum follows), or undefined when its kind or length is invalid;
 * past `limit` when its length is not in the first `limit` bytes yet.
 */
function recordEnd(bytes: Buffer, at: number, limit: number): number | undefined {
  const kind = bytes[at];
  if (kind === OPEN || kind === CLEAN) return at + 1;
  if (kind === ENTRY || kind === DELETE) {
    if (at + 1 >= limit) return limit + CHECK;
    const code = bytes[at + 1]!;
    if (code !== PACKED_UUID && (code === 0 || code > MAX_ID_BYTES)) return undefined;
    return at + 2 + idSize(code) + (kind === ENTRY ? 17 : 0);
  }
  if (kind === SCOPE) {
    if (at + 7 > limit) return limit + CHECK;
    return at + 7 + bytes.readUInt16LE(at + 5);
  }
  return undefined;
}

/** Fills in the checksum (the last CHECK bytes) of a record. */
function seal(record: Buffer): Buffer {
  const end = record.length - CHECK;
  record.writeInt32LE(hashBytes(record, 0, end), end);
  return record;
}

function entryRecord(
  id: Buffer,
  start: number,
  code: number,
  scope: number,
  context: number,
  state: number,
  hi: number,
  lo: number,
): Buffer {
  const size = idSize(code);
  const record = Buffer.alloc(2 + size + 17 + CHECK);
  record[0] = ENTRY;
  record[1] = code;
  id.copy(record, 2, start, start + size);
  const p = 2 + size;
  record.writeUInt32LE(scope, p);
  record.writeInt32LE(context, p + 4);
  record[p + 8] = state;
  record.writeInt32LE(hi, p + 9);
  record.writeInt32LE(lo, p + 13);
  return seal(record);
}

function scopeRecord(no: number, key: string): Buffer {
  const name = Buffer.from(key, "utf8");
  const record = Buffer.alloc(7 + name.length + CHECK);
  record[0] = SCOPE;
  record.writeUInt32LE(no, 1);
  record.writeUInt16LE(name.length, 5);
  name.copy(record, 7);
  return seal(record);
}
