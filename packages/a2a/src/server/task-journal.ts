import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import type { TaskIndexEntry } from "./task-index.js";

/** The journal's file in the task directory (a dot file: never taken for a task). */
export const JOURNAL_FILE = ".index.jsonl";

/** Last line after a graceful close; `OPEN_MARK` goes before a process writes its first task file. */
const CLEAN_MARK = "#clean";
const OPEN_MARK = "#open";

/** One journal line: a task's index entry, or `[id]` when the task was deleted (or a `#` marker). */
type JournalLine = [string, string, string, string, number, number] | [string];

/**
 * The task index on disk: one JSON line per written task state (`[id, tenant, owner, contextId, state,
 * time]`) or deletion (`[id]`), appended after the task's own file is in place. A restart reads this one
 * file instead of every task file. The task files stay the truth: a line lost to a crash is recovered from
 * the directory (see FileTaskStore). Compaction rewrites the file with only each task's newest line.
 */
export class TaskJournal {
  readonly file: string;
  /** Lines written so far (the next line's number is this). */
  lines = 0;
  private handle: fs.FileHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private opened: Promise<unknown> | undefined;

  constructor(dir: string) {
    this.file = path.join(dir, JOURNAL_FILE);
  }

  /**
   * Reads every line in order, calling `onEntry(entry, line)` or `onDelete(id)`; a torn or unreadable line
   * (a crash mid-append) is skipped. Resolves with whether the last writer closed the journal cleanly: only
   * then is every task file known to have its line (no crash between a file write and its line).
   */
  async read(
    onEntry: (entry: TaskIndexEntry, line: number) => void,
    onDelete: (id: string) => void,
  ): Promise<{ clean: boolean }> {
    let line = 0;
    let clean = false;
    try {
      const lines = createInterface({ input: createReadStream(this.file, "utf8"), crlfDelay: Infinity });
      for await (const text of lines) {
        const parsed = parse(text);
        clean = parsed?.[0] === CLEAN_MARK;
        if (parsed?.length === 6) {
          const [id, tenant, owner, contextId, state, time] = parsed;
          onEntry({ id, tenant, owner, contextId, state, time }, line);
        } else if (parsed?.length === 1 && !parsed[0].startsWith("#")) {
          onDelete(parsed[0]);
        }
        line++;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    this.lines = line;
    return { clean };
  }

  /** Records, once per process and before its first task file write, that a writer is at work. */
  markOpen(): Promise<unknown> {
    this.opened ??= this.write([OPEN_MARK]);
    return this.opened;
  }

  /** Appends a task's entry; resolves with its line number once written. */
  append(entry: TaskIndexEntry): Promise<number> {
    const record: JournalLine = [
      entry.id,
      entry.tenant,
      entry.owner,
      entry.contextId,
      entry.state,
      entry.time,
    ];
    return this.write(record);
  }

  remove(id: string): Promise<number> {
    return this.write([id]);
  }

  /**
   * Rewrites the journal keeping only the lines `keep(id, line)` approves (each task's newest), then
   * renumbers them through `moved(id, newLine)`. Appends wait meanwhile.
   */
  compact(keep: (id: string, line: number) => boolean, moved: (id: string, line: number) => void) {
    const run = this.queue.then(async () => {
      await this.handle?.close();
      this.handle = undefined;
      const tmp = `${this.file}.${process.pid}.compact`;
      const out = await fs.open(tmp, "w", 0o600);
      let line = 0;
      let kept = 0;
      const renumber: Array<[string, number]> = [];
      try {
        const lines = createInterface({ input: createReadStream(this.file, "utf8"), crlfDelay: Infinity });
        let buffer: string[] = [];
        for await (const text of lines) {
          const parsed = parse(text);
          if (parsed?.length === 6 && keep(parsed[0], line)) {
            buffer.push(text);
            renumber.push([parsed[0], kept++]);
            if (buffer.length >= 1000) {
              await out.write(`${buffer.join("\n")}\n`);
              buffer = [];
            }
          }
          line++;
        }
        if (buffer.length) await out.write(`${buffer.join("\n")}\n`);
        await out.sync();
      } finally {
        await out.close();
      }
      await fs.rename(tmp, this.file);
      for (const [id, at] of renumber) moved(id, at);
      this.lines = kept;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Marks the journal closed cleanly (when this process wrote to it) and closes it. */
  close(): Promise<void> {
    const wrote = this.opened !== undefined;
    if (wrote) void this.write([CLEAN_MARK]);
    const run = this.queue.then(async () => {
      await this.handle?.sync();
      await this.handle?.close();
      this.handle = undefined;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private write(record: JournalLine): Promise<number> {
    const run = this.queue.then(async () => {
      if (!this.handle) {
        await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
        this.handle = await fs.open(this.file, "a", 0o600);
      }
      await this.handle.write(`${JSON.stringify(record)}\n`);
      return this.lines++;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function parse(text: string): JournalLine | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value) || typeof value[0] !== "string") return undefined;
    if (value.length === 1) return [value[0]];
    if (
      value.length === 6 &&
      typeof value[1] === "string" &&
      typeof value[2] === "string" &&
      typeof value[3] === "string" &&
      typeof value[4] === "number" &&
      typeof value[5] === "number"
    ) {
      return value as JournalLine;
    }
  } catch {
    // torn line
  }
  return undefined;
}
