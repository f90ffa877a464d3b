import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Task, TaskState } from "@a2a-js/sdk";
import { resolveUserScope, ServerCallContext } from "@a2a-js/sdk/server";
import { afterEach, describe, expect, it } from "vitest";
import { FileTaskStore, INTERRUPTED_METADATA_KEY } from "../src/index.js";

const dirs: string[] = [];
const stores: FileTaskStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), "ct-taskstore-"));
  dirs.push(d);
  return d;
}

function open(dir: string, options: ConstructorParameters<typeof FileTaskStore>[1] = {}): FileTaskStore {
  const store = new FileTaskStore(dir, options);
  stores.push(store);
  return store;
}

const context = new ServerCallContext({ requestedVersion: "1.0" });
/** A recent time (retention keeps 30 days by default). */
const T0 = Date.now() - 3_600_000;

function task(id: string, state: TaskState, time = Date.now(), contextId = "ctx"): Task {
  return Task.fromJSON({ id, contextId, status: { state, timestamp: new Date(time).toISOString() } });
}

/** A task file as a previous process (maybe killed) left it. */
async function writeTaskFile(dir: string, t: Task, owner = resolveUserScope(context)): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const stored = { version: 1, tenant: "", owner, task: Task.toJSON(t) };
  await fs.writeFile(path.join(dir, `${t.id}.json`), `${JSON.stringify(stored)}\n`);
}

describe("FileTaskStore after a crash", () => {
  it("fails a task a dead process left WORKING or SUBMITTED, on read, with a message saying why", async () => {
    const dir = await tempDir();
    await writeTaskFile(dir, task("w1", TaskState.TASK_STATE_WORKING));
    await writeTaskFile(dir, task("s1", TaskState.TASK_STATE_SUBMITTED));
    await writeTaskFile(dir, task("done", TaskState.TASK_STATE_COMPLETED));
    const store = open(dir);
    const working = await store.load("w1", context);
    expect(working?.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(JSON.stringify(working?.status?.message)).toMatch(/stopped unexpectedly/);
    expect(working?.metadata?.[INTERRUPTED_METADATA_KEY]).toBe(true);
    const listed = await store.list({ pageSize: 10 } as never, context);
    expect(Object.fromEntries(listed.tasks.map((t) => [t.id, t.status?.state]))).toEqual({
      w1: TaskState.TASK_STATE_FAILED,
      s1: TaskState.TASK_STATE_FAILED,
      done: TaskState.TASK_STATE_COMPLETED,
    });
    const failedOnly = await store.list({ status: TaskState.TASK_STATE_WORKING } as never, context);
    expect(failedOnly.totalSize).toBe(0);
    await store.flush();
    const raw = JSON.parse(await fs.readFile(path.join(dir, "s1.json"), "utf8"));
    expect(raw.task.status.state).toBe("TASK_STATE_FAILED");
  });

  it("does not fail a task this process is running", async () => {
    const dir = await tempDir();
    const store = open(dir);
    await store.save(task("live", TaskState.TASK_STATE_WORKING), context);
    await store.flush();
    expect((await store.load("live", context))?.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    expect((await store.list({} as never, context)).tasks[0]?.status?.state).toBe(
      TaskState.TASK_STATE_WORKING,
    );
  });

  it("deletes temp files an interrupted write left, and finds tasks the journal missed", async () => {
    const dir = await tempDir();
    const first = open(dir);
    for (let i = 0; i < 5; i++)
      await first.save(task(`t${i}`, TaskState.TASK_STATE_COMPLETED, T0 + i), context);
    await first.flush(); // and then the process is killed: the journal is not closed cleanly
    await fs.writeFile(path.join(dir, ".t9.json.999999.abcdef012345.tmp"), "{partial");
    // A task whose journal line a crash cut off: only its file exists.
    await writeTaskFile(dir, task("late", TaskState.TASK_STATE_COMPLETED, T0 + 5000));
    const store = open(dir);
    const listed = await store.list({} as never, context);
    expect(listed.tasks.map((t) => t.id)).toEqual(["late", "t4", "t3", "t2", "t1", "t0"]);
    expect((await fs.readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});

describe("FileTaskStore bounded memory", () => {
  it("pages ListTasks from the index newest first, reading tasks from disk past the cache", async () => {
    const dir = await tempDir();
    const writer = open(dir);
    for (let i = 0; i < 120; i++) {
      await writer.save(
        task(
          i % 3
            ? `task-${String(i).padStart(3, "0")}`
            : `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
          TaskState.TASK_STATE_COMPLETED,
          T0 + i,
          `c${i % 2}`,
        ),
        context,
      );
    }
    await writer.close();
    const store = open(dir, { cacheSize: 10 });
    const seen: string[] = [];
    let token = "";
    for (let pages = 0; pages < 10; pages++) {
      const page = await store.list({ pageSize: 50, pageToken: token } as never, context);
      expect(page.totalSize).toBe(120);
      seen.push(...page.tasks.map((t) => t.id));
      token = page.nextPageToken;
      if (!token) break;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe("task-119");
    // Ids that are UUIDs are packed in the index; they come back the same.
    expect(seen.at(-1)).toBe("00000000-0000-4000-8000-000000000000");
    expect(seen).toContain("00000000-0000-4000-8000-000000000117");
    const c1 = await store.list({ contextId: "c1", pageSize: 100 } as never, context);
    expect(c1.totalSize).toBe(60);
    expect(c1.tasks.every((t) => t.contextId === "c1")).toBe(true);
    expect((await store.load("task-007", context))?.id).toBe("task-007");
    const other = new ServerCallContext({ requestedVersion: "1.0", tenant: "other" });
    expect(await store.load("task-007", other)).toBeUndefined();
    expect((await store.list({} as never, other)).totalSize).toBe(0);
  });

  it("retention deletes finished tasks past the age and beyond the cap, oldest first, never running ones", async () => {
    const dir = await tempDir();
    const day = 86_400_000;
    const now = Date.now();
    const writer = open(dir, { retentionDays: 0, maxTasks: 0 });
    for (let i = 0; i < 30; i++) {
      await writer.save(task(`old-${i}`, TaskState.TASK_STATE_COMPLETED, now - 40 * day + i), context);
    }
    for (let i = 0; i < 30; i++) {
      await writer.save(task(`new-${i}`, TaskState.TASK_STATE_COMPLETED, now - day + i), context);
    }
    await writer.save(task("waiting", TaskState.TASK_STATE_INPUT_REQUIRED, now - 50 * day), context);
    await writer.close();
    const store = open(dir, { retentionDays: 30, maxTasks: 21 });
    const listed = await store.list({ pageSize: 100 } as never, context);
    expect(listed.totalSize).toBe(21);
    const ids = listed.tasks.map((t) => t.id);
    expect(ids).toContain("waiting");
    expect(ids.filter((id) => id.startsWith("old-"))).toEqual([]);
    expect(ids).toContain("new-29");
    expect(ids).not.toContain("new-9");
    const files = (await fs.readdir(dir)).filter((n) => n.endsWith(".json"));
    expect(files).toHaveLength(21);
    // The journal remembers the deletions.
    await store.close();
    const again = open(dir, { retentionDays: 0, maxTasks: 0 });
    expect((await again.list({} as never, context)).totalSize).toBe(21);
  });
});
