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

interface StoredTask {
  version: 1;
  tenant: string;
  owner: string;
  task: unknown;
}

interface Entry {
  tenant: string;
  owner: string;
  task: Task;
}

/**
 * A durable A2A task store: one JSON file per task, written atomically, loaded at first use.
 * Tasks are scoped by tenant and owner (the authenticated caller), so one caller never sees
 * another's tasks, and they survive a server restart.
 *
 * Final states (completed, failed, canceled, rejected) and input/auth-required are on disk
 * (temp + fsync + rename) before `save` resolves. Transient states (submitted, working) are
 * written shortly after, coalesced: a later save of the same task replaces a write not yet
 * started. Writes of one task never overtake each other and always write its newest state.
 * `flush()` waits for every pending write.
 */
export class FileTaskStore implements TaskStore {
  readonly dir: string;
  private readonly ownerOf: OwnerResolver;
  private entries: Map<string, Entry> | undefined;
  private loading: Promise<Map<string, Entry>> | undefined;
  private frozen = false;
  /** Tail of each task's write chain (writes of one task run in order). */
  private readonly chains = new Map<string, Promise<void>>();
  /** Deferred (coalesced) writes not yet started. */
  private readonly deferred = new Map<string, NodeJS.Timeout>();

  constructor(dir: string, options: { ownerResolver?: OwnerResolver } = {}) {
    this.dir = dir;
    this.ownerOf = options.ownerResolver ?? resolveUserScope;
  }

  private file(id: string): string {
    if (!ID_PATTERN.test(id)) throw new Error(`Invalid task id "${id}" for the file task store.`);
    return path.join(this.dir, `${id}.json`);
  }

  private async all(): Promise<Map<string, Entry>> {
    if (this.entries) return this.entries;
    this.loading ??= this.readAll();
    this.entries = await this.loading;
    return this.entries;
  }

  private async readAll(): Promise<Map<string, Entry>> {
    const out = new Map<string, Entry>();
    let names: string[] = [];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return out;
    }
    for (const name of names) {
      if (!name.endsWith(".json") || name.startsWith(".")) continue;
      try {
        const raw = JSON.parse(await fs.readFile(path.join(this.dir, name), "utf8")) as StoredTask;
        const task = Task.fromJSON(raw.task as Record<string, unknown>);
        if (task.id) out.set(task.id, { tenant: raw.tenant ?? "", owner: raw.owner ?? "unknown", task });
      } catch {
        // A corrupt or foreign file is skipped, never deleted.
      }
    }
    return out;
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
    const entries = await this.all();
    const existing = entries.get(task.id);
    if (existing && !this.visible(existing, context)) {
      throw new Error(`Task ${task.id} belongs to another caller.`);
    }
    entries.set(task.id, {
      tenant: context.tenant ?? "",
      owner: this.ownerOf(context),
      task: structuredClone(task),
    });
    if (DURABLE_STATES.has(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED)) {
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

  /** Waits until every saved state is on disk (pending coalesced writes are started now). */
  async flush(): Promise<void> {
    for (const [id, timer] of this.deferred) {
      clearTimeout(timer);
      this.deferred.delete(id);
      this.enqueue(id, this.file(id)).catch(() => {});
    }
    await Promise.allSettled([...this.chains.values()]);
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
        const entry = this.entries?.get(id);
        if (!entry) return;
        const stored: StoredTask = {
          version: 1,
          tenant: entry.tenant,
          owner: entry.owner,
          task: Task.toJSON(entry.task),
        };
        await writeFileAtomic(file, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
      });
    this.chains.set(id, next);
    const clear = () => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    };
    next.then(clear, clear);
    return next;
  }

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    if (!ID_PATTERN.test(taskId)) return undefined;
    const entry = (await this.all()).get(taskId);
    return this.visible(entry, context) ? structuredClone(entry.task) : undefined;
  }

  /** Every stored task regardless of owner (server-side maintenance such as shutdown handling). */
  async loadAny(taskId: string): Promise<{ task: Task; tenant: string; owner: string } | undefined> {
    const entry = (await this.all()).get(taskId);
    return entry ? { ...entry, task: structuredClone(entry.task) } : undefined;
  }

  /** Writes a task back under its recorded owner (used when no caller context exists). */
  async saveAs(task: Task, scope: { tenant: string; owner: string }): Promise<void> {
    const file = this.file(task.id);
    const entries = await this.all();
    entries.set(task.id, { ...scope, task: structuredClone(task) });
    await this.writeNow(task.id, file);
  }

  async list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const pageSize = Math.min(Math.max(params.pageSize ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    let tasks = [...(await this.all()).values()].filter((e) => this.visible(e, context)).map((e) => e.task);
    if (params.contextId) tasks = tasks.filter((t) => t.contextId === params.contextId);
    if (params.status !== undefined && params.status !== TaskState.TASK_STATE_UNSPECIFIED) {
      tasks = tasks.filter((t) => t.status?.state === params.status);
    }
    if (params.statusTimestampAfter) {
      const after = new Date(params.statusTimestampAfter).getTime();
      tasks = tasks.filter((t) => t.status?.timestamp && new Date(t.status.timestamp).getTime() >= after);
    }
    tasks.sort((a, b) => {
      const ta = a.status?.timestamp ?? "";
      const tb = b.status?.timestamp ?? "";
      return ta !== tb ? tb.localeCompare(ta) : b.id.localeCompare(a.id);
    });
    const totalSize = tasks.length;
    if (params.pageToken) {
      const cursor = decodeCursor(params.pageToken);
      const index = cursor ? tasks.findIndex((t) => t.id === cursor.id) : -1;
      tasks = index === -1 ? [] : tasks.slice(index + 1);
    }
    const page = tasks.slice(0, pageSize);
    const last = page[page.length - 1];
    const nextPageToken = last && tasks.length > page.length ? encodeCursor(last.id) : "";
    return {
      tasks: page.map((t) => {
        const copy = structuredClone(t);
        if (!params.includeArtifacts) copy.artifacts = [];
        return copy;
      }),
      nextPageToken,
      pageSize,
      totalSize,
    };
  }
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ id }), "utf8").toString("base64url");
}

function decodeCursor(token: string): { id: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { id?: unknown };
    return typeof parsed.id === "string" ? { id: parsed.id } : undefined;
  } catch {
    return undefined;
  }
}
