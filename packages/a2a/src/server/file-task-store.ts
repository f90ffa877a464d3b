import fs from "node:fs/promises";
import path from "node:path";
import { type ListTasksRequest, type ListTasksResponse, Task, TaskState } from "@a2a-js/sdk";
import {
  type OwnerResolver,
  resolveUserScope,
  type ServerCallContext,
  type TaskStore,
} from "@a2a-js/sdk/server";
import { writeFileAtomic } from "@codetether/core";
import { markInterrupted, RUNNING_STATES } from "./interrupted-task.js";
import { cleanStaleTemps, readTaskFile, type StoredTask, tasksMissingFromIndex } from "./task-files.js";
import { type ListCursor, TaskIndex } from "./task-index.js";
import { TaskJournal } from "./task-journal.js";
import { applyRetention, type TaskRetention } from "./task-retention.js";

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;
/** How long a non-terminal state (submitted, working) may wait before it is written; later saves coalesce into it. */
const COALESCE_MS = 25;
/** States written (temp + fsync + rename) before `save` resolves: final states and waits for the user. */
const DURABLE_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
  TaskState.TASK_STATE_INPUT_REQUIRED,
  TaskState.TASK_STATE_AUTH_REQUIRED,
]);

interface Entry {
  tenant: string;
  owner: string;
  task: Task;
}

export interface FileTaskStoreOptions extends TaskRetention {
  ownerResolver?: OwnerResolver;
  /** Tasks kept in memory besides those with a write pending (default 256); the rest is read from disk. */
  cacheSize?: number;
}

/**
 * A durable A2A task store: one JSON file per task, written atomically. Tasks are scoped by tenant and owner
 * (the authenticated caller), so one caller never sees another's tasks, and they survive a restart.
 *
 * Memory stays bounded however many tasks are stored: a compact index (see TaskIndex, rebuilt at start from
 * the binary index file `.index.bin` in the same directory) answers ListTasks' filtering, ordering and paging, a small cache holds
 * recent tasks, and every other task is read from its file on demand. Retention deletes finished tasks past
 * `retentionDays` or beyond `maxTasks`, oldest first.
 *
 * Crash recovery: a task found SUBMITTED or WORKING that this process is not running was left by a process
 * that died; the first time it is read (or when the index loads) it is failed with a status message saying
 * so, and a subscriber gets that final state instead of waiting forever. Orphaned temp files are deleted.
 *
 * Final states and input/auth-required are on disk (temp + fsync + rename) before `save` resolves.
 * Transient states are written shortly after, coalesced. Writes of one task never overtake each other and
 * always write its newest state. `flush()` waits for every pending write.
 */
export class FileTaskStore implements TaskStore {
  readonly dir: string;
  private readonly ownerOf: OwnerResolver;
  private readonly options: FileTaskStoreOptions;
  private readonly journal: TaskJournal;
  private index: TaskIndex | undefined;
  private indexing: Promise<TaskIndex> | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  /** Recently used tasks, least recent first. */
  private readonly cache = new Map<string, Entry>();
  /** Tasks with a write not yet finished: always served from here, never evicted. */
  private readonly pending = new Map<string, Entry>();
  /** Tasks this process saved in a running state: the only SUBMITTED/WORKING tasks that are really running. */
  private readonly running = new Set<string>();
  private frozen = false;
  /** Tail of each task's write chain (writes of one task run in order). */
  private readonly chains = new Map<string, Promise<void>>();
  /** Deferred (coalesced) writes not yet started. */
  private readonly deferred = new Map<string, NodeJS.Timeout>();

  constructor(dir: string, options: FileTaskStoreOptions = {}) {
    this.dir = dir;
    this.options = options;
    this.ownerOf = options.ownerResolver ?? resolveUserScope;
    this.journal = new TaskJournal(dir);
  }

  private file(id: string): string {
    if (!ID_PATTERN.test(id)) throw new Error(`Invalid task id "${id}" for the file task store.`);
    return path.join(this.dir, `${id}.json`);
  }

  /** The index, loaded on first use: journal, then tasks the journal missed, recovery and retention. */
  private async loadIndex(): Promise<TaskIndex> {
    if (this.index) return this.index;
    this.indexing ??= (async () => {
      let index = new TaskIndex();
      const { clean, intact } = await this.journal.read(index);
      // The task files are the truth. A damaged index is rebuilt from all of them; after a crash (or with no
      // index yet, or one of an earlier version) task files whose record the crash cut off are indexed from
      // the directory, and temp files are removed.
      if (!intact) index = new TaskIndex();
      let rewrite = !intact;
      if (!clean || !intact) {
        await cleanStaleTemps(this.dir);
        for await (const stored of tasksMissingFromIndex(this.dir, (id) => index.has(id))) {
          index.set(indexEntry(stored));
          rewrite = true;
        }
      }
      // Nothing is being written yet, so the index holds exactly what the task files hold.
      if (rewrite || this.journal.records > 2 * index.size + 10_000) await this.journal.rewrite(index);
      await this.journal.removeLegacy();
      this.index = index;
      for (const id of index.idsWhere((state) => RUNNING_STATES.has(state))) {
        if (!this.running.has(id)) await this.loadAny(id);
      }
      await this.retain();
      this.retentionTimer = setInterval(() => void this.retain().catch(() => {}), 3_600_000);
      this.retentionTimer.unref();
      return index;
    })();
    return this.indexing;
  }

  private async retain(): Promise<void> {
    const index = this.index;
    if (!index) return;
    await applyRetention(index, this.options, async (id) => {
      if (this.pending.has(id) || this.running.has(id)) return;
      // As before a task file write: a crash between these two steps must not leave a "clean" index.
      await this.journal.markOpen();
      await fs.rm(this.file(id), { force: true });
      this.cache.delete(id);
      index.delete(id);
      await this.journal.remove(id);
    });
  }

  private visible(entry: Entry | undefined, context: ServerCallContext): entry is Entry {
    return (
      entry !== undefined && entry.tenant === (context.tenant ?? "") && entry.owner === this.ownerOf(context)
    );
  }

  /**
   * Ignores further request-path saves (server shutdown): events the request handler persists after
   * the shutdown marked a task interrupted must not overwrite that state. `saveAs` still writes.
   */
  freeze(): void {
    this.frozen = true;
  }

  async save(task: Task, context: ServerCallContext): Promise<void> {
    if (this.frozen) return;
    const file = this.file(task.id);
    const index = await this.loadIndex();
    const known = index.get(task.id);
    if (known && (known.tenant !== (context.tenant ?? "") || known.owner !== this.ownerOf(context))) {
      throw new Error(`Task ${task.id} belongs to another caller.`);
    }
    const state = task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
    if (RUNNING_STATES.has(state)) this.running.add(task.id);
    else this.running.delete(task.id);
    this.stage({ tenant: context.tenant ?? "", owner: this.ownerOf(context), task: structuredClone(task) });
    if (DURABLE_STATES.has(state)) {
      await this.writeNow(task.id, file);
    } else if (!this.deferred.has(task.id)) {
      const timer = setTimeout(() => {
        this.deferred.delete(task.id);
        // A failed transient write is retried by the task's next save; the final state is awaited.
        this.enqueue(task.id, file).catch(() => {});
      }, COALESCE_MS);
      timer.unref();
      this.deferred.set(task.id, timer);
    }
  }

  /** Makes `entry` the task's newest state (served from memory until written) and updates the index. */
  private stage(entry: Entry): void {
    this.pending.set(entry.task.id, entry);
    this.cache.delete(entry.task.id);
    // The index file's record follows once the task file is written.
    this.index?.set(indexEntry(entry));
  }

  /** Waits until every saved state is on disk (pending coalesced writes are started now). */
  async flush(): Promise<void> {
    for (const [id, timer] of this.deferred) {
      clearTimeout(timer);
      this.deferred.delete(id);
      this.enqueue(id, this.file(id)).catch(() => {});
    }
    await Promise.allSettled([...this.chains.values()]);
  }

  /** Stops the retention timer and closes the journal (after `flush`). */
  async close(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    await this.flush();
    await this.journal.close();
  }

  /** Writes the task's newest state now, replacing a deferred write not yet started. */
  private writeNow(id: string, file: string): Promise<void> {
    const timer = this.deferred.get(id);
    if (timer) {
      clearTimeout(timer);
      this.deferred.delete(id);
    }
    return this.enqueue(id, file);
  }

  private enqueue(id: string, file: string): Promise<void> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev
      .catch(() => {})
      .then(async () => {
        const entry = this.pending.get(id);
        if (!entry) return;
        const stored: StoredTask = {
          version: 1,
          tenant: entry.tenant,
          owner: entry.owner,
          task: Task.toJSON(entry.task),
        };
        await this.journal.markOpen();
        await writeFileAtomic(file, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
        await this.journal.append(indexEntry(entry));
        if (this.pending.get(id) === entry) {
          this.pending.delete(id);
          this.remember(entry);
        }
      });
    this.chains.set(id, next);
    const clear = () => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    };
    next.then(clear, clear);
    return next;
  }

  private remember(entry: Entry): void {
    this.cache.delete(entry.task.id);
    this.cache.set(entry.task.id, entry);
    const limit = this.options.cacheSize ?? 256;
    while (this.cache.size > limit) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  /**
   * A task from memory or its file. A task left SUBMITTED/WORKING by a process that died is failed and
   * written back here, before anyone sees it.
   */
  private async read(id: string): Promise<Entry | undefined> {
    const inMemory = this.pending.get(id) ?? this.cache.get(id);
    if (inMemory) {
      this.remember(inMemory);
      return inMemory;
    }
    const stored = await readTaskFile(this.file(id));
    if (!stored) return undefined;
    const again = this.pending.get(id) ?? this.cache.get(id); // saved while we read
    if (again) return again;
    const state = stored.task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
    if (RUNNING_STATES.has(state) && !this.running.has(id)) {
      markInterrupted(stored.task, "crash");
      this.stage(stored);
      await this.writeNow(id, this.file(id));
      return this.pending.get(id) ?? this.cache.get(id) ?? stored;
    }
    this.remember(stored);
    return stored;
  }

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    if (!ID_PATTERN.test(taskId)) return undefined;
    const entry = await this.read(taskId);
    return this.visible(entry, context) ? structuredClone(entry.task) : undefined;
  }

  /** Every stored task regardless of owner (server-side maintenance such as shutdown handling). */
  async loadAny(taskId: string): Promise<{ task: Task; tenant: string; owner: string } | undefined> {
    if (!ID_PATTERN.test(taskId)) return undefined;
    const entry = await this.read(taskId);
    return entry ? { ...entry, task: structuredClone(entry.task) } : undefined;
  }

  /** Writes a task back under its recorded owner (used when no caller context exists). */
  async saveAs(task: Task, scope: { tenant: string; owner: string }): Promise<void> {
    const file = this.file(task.id);
    await this.loadIndex();
    const state = task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
    if (!RUNNING_STATES.has(state)) this.running.delete(task.id);
    this.stage({ ...scope, task: structuredClone(task) });
    await this.writeNow(task.id, file);
  }

  async list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const index = await this.loadIndex();
    const pageSize = Math.min(Math.max(params.pageSize ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const filter = {
      tenant: context.tenant ?? "",
      owner: this.ownerOf(context),
      ...(params.contextId ? { contextId: params.contextId } : {}),
      ...(params.status !== undefined && params.status !== TaskState.TASK_STATE_UNSPECIFIED
        ? { state: params.status }
        : {}),
      ...(params.statusTimestampAfter ? { after: new Date(params.statusTimestampAfter).getTime() } : {}),
    };
    let cursor: ListCursor | undefined;
    if (params.pageToken) {
      cursor = decodeCursor(params.pageToken, index);
      if (!cursor) return { tasks: [], nextPageToken: "", pageSize, totalSize: 0 };
    }
    const page = index.list(filter, cursor, pageSize);
    const tasks: Task[] = [];
    for (const id of page.ids) {
      const entry = await this.read(id);
      // Gone (deleted by hand) or a context-id hash collision: not part of this page.
      if (!this.visible(entry, context)) continue;
      if (params.contextId && entry.task.contextId !== params.contextId) continue;
      const copy = structuredClone(entry.task);
      if (!params.includeArtifacts) copy.artifacts = [];
      tasks.push(copy);
    }
    const last = page.ids.at(-1);
    const lastEntry = last ? index.get(last) : undefined;
    return {
      tasks,
      nextPageToken: page.more && lastEntry ? encodeCursor({ time: lastEntry.time, id: lastEntry.id }) : "",
      pageSize,
      totalSize: page.total,
    };
  }
}

function indexEntry(entry: Entry) {
  const time = entry.task.status?.timestamp ? Date.parse(entry.task.status.timestamp) : 0;
  return {
    id: entry.task.id,
    tenant: entry.tenant,
    owner: entry.owner,
    contextId: entry.task.contextId ?? "",
    state: entry.task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED,
    time: Number.isFinite(time) ? time : 0,
  };
}

function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.time, id: cursor.id }), "utf8").toString("base64url");
}

/** A page token: `{t, id}`, or an older `{id}` token (its time is looked up). */
function decodeCursor(token: string, index: TaskIndex): ListCursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      t?: unknown;
      id?: unknown;
    };
    if (typeof parsed.id !== "string") return undefined;
    if (typeof parsed.t === "number") return { time: parsed.t, id: parsed.id };
    const known = index.get(parsed.id);
    return known ? { time: known.time, id: parsed.id } : undefined;
  } catch {
    return undefined;
  }
}
