import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Task, TaskState } from "@a2a-js/sdk";
import { resolveUserScope, ServerCallContext } from "@a2a-js/sdk/server";
import { afterEach, describe, expect, it } from "vitest";
import { FileTaskStore } from "../src/index.js";
import { TaskIndex } from "../src/server/task-index.js";
import { TaskJournal } from "../src/server/task-journal.js";

// The task index on disk: a compact binary file the store reads at start instead of every task file. It is
// only a cache of the task files: torn, corrupt, missing or from an older version, it is rebuilt from them.
const INDEX_FILE = ".index.bin";
const dirs: string[] = [];
const stores: FileTaskStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

const context = new ServerCallContext({ requestedVersion: "1.0" });
const T0 = Date.now() - 3_600_000;
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const task = (id: string, i: number, state = TaskState.TASK_STATE_COMPLETED) =>
  Task.fromJSON({
    id,
    contextId: `ctx-${i % 3}`,
    status: { state, timestamp: new Date(T0 + i).toISOString() },
  });

async function storeWith(count: number, ids: (i: number) => string = uuid) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-taskindex-"));
  dirs.push(dir);
  const store = new FileTaskStore(dir);
  for (let i = 0; i < count; i++) await store.save(task(ids(i), i), context);
  await store.close();
  return dir;
}

async function listAll(dir: string) {
  const store = new FileTaskStore(dir);
  stores.push(store);
  const res = await store.list({ pageSize: 100 } as never, context);
  return { store, ids: res.tasks.map((t) => t.id), total: res.totalSize };
}

describe("the task index file", () => {
  it("is binary and compact: well under 64 bytes per task, no JSON", async () => {
    const dir = await storeWith(50);
    const bytes = await fs.readFile(path.join(dir, INDEX_FILE));
    expect(bytes.length).toBeLessThan(50 * 64);
    expect(bytes.includes(Buffer.from(uuid(3)))).toBe(false); // ids are packed, not text
    const { ids, total } = await listAll(dir);
    expect(total).toBe(50);
    expect(ids[0]).toBe(uuid(49));
  });

  it("a torn last record (a crash mid-append) is cut off; later appends stay readable", async () => {
    const dir = await storeWith(5, (i) => `task-${i}`);
    const file = path.join(dir, INDEX_FILE);
    const whole = await fs.readFile(file);
    await fs.writeFile(file, Buffer.concat([whole, Buffer.from([1, 7, 0x61, 0x62])])); // half a record
    const first = await listAll(dir);
    expect(first.total).toBe(5);
    await first.store.save(task("task-5", 5), context);
    await first.store.close();
    stores.splice(stores.indexOf(first.store), 1);
    const again = await listAll(dir);
    expect(again.ids).toEqual(["task-5", "task-4", "task-3", "task-2", "task-1", "task-0"]);
  });

  it("a corrupt index is rebuilt from the task files, with the newest state of each task", async () => {
    const dir = await storeWith(8);
    const writer = new FileTaskStore(dir);
    await writer.save(task(uuid(2), 100, TaskState.TASK_STATE_FAILED), context);
    await fs.rm(path.join(dir, `${uuid(5)}.json`)); // deleted behind the index's back
    await writer.close();
    const file = path.join(dir, INDEX_FILE);
    const bytes = await fs.readFile(file);
    for (let at = 20; at < 40; at++) bytes[at] = 0xff ^ (bytes[at] ?? 0);
    await fs.writeFile(file, bytes);
    const { store, ids, total } = await listAll(dir);
    expect(total).toBe(7);
    expect(ids).not.toContain(uuid(5));
    expect(ids[0]).toBe(uuid(2));
    const failed = await store.list({ status: TaskState.TASK_STATE_FAILED } as never, context);
    expect(failed.tasks.map((t) => t.id)).toEqual([uuid(2)]);
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    expect((await listAll(dir)).total).toBe(7); // the rebuilt index was written back
  });

  it("a rebuilt index is closed cleanly: the next start trusts it and scans no directory", async () => {
    const dir = await storeWith(3);
    await fs.rm(path.join(dir, INDEX_FILE));
    const rebuilt = await listAll(dir);
    expect(rebuilt.total).toBe(3);
    await rebuilt.store.close();
    stores.splice(stores.indexOf(rebuilt.store), 1);
    // A file the index does not know is found only by a directory scan, which a clean start skips.
    const stray = task("stray", 99);
    await fs.writeFile(
      path.join(dir, "stray.json"),
      JSON.stringify({ version: 1, tenant: "", owner: resolveUserScope(context), task: Task.toJSON(stray) }),
    );
    expect((await listAll(dir)).total).toBe(3);
  });

  it("a store from the JSON-lines index era is indexed from its task files and the old index removed", async () => {
    const dir = await storeWith(4);
    await fs.rm(path.join(dir, INDEX_FILE));
    await fs.writeFile(path.join(dir, ".index.jsonl"), '["x","","o","c",3,1]\n["#clean"]\n');
    const { store, total } = await listAll(dir);
    expect(total).toBe(4);
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    const names = await fs.readdir(dir);
    expect(names).toContain(INDEX_FILE);
    expect(names).not.toContain(".index.jsonl");
  });
});

describe("TaskJournal across read chunks", () => {
  it("reads back 20k entries (records straddling chunk boundaries), deletions and scopes", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-taskjournal-"));
    dirs.push(dir);
    const written = new TaskIndex();
    for (let i = 0; i < 20_000; i++) {
      const id = i % 3 === 0 ? `plain-id-${i}` : uuid(i);
      written.set({
        id,
        tenant: i % 2 ? "t1" : "",
        owner: `o${i % 5}`,
        contextId: `c${i % 7}`,
        state: i % 9,
        time: i,
      });
    }
    const journal = new TaskJournal(dir);
    await journal.rewrite(written);
    await journal.remove(uuid(1));
    await journal.append({ id: "late", tenant: "", owner: "o0", contextId: "c0", state: 3, time: 1e12 });
    await journal.close();
    const read = new TaskIndex();
    expect(await new TaskJournal(dir).read(read)).toEqual({ clean: true, intact: true });
    expect(read.size).toBe(20_000);
    expect(read.get(uuid(1))).toBeUndefined();
    expect(read.get("plain-id-19998")).toEqual({
      id: "plain-id-19998",
      tenant: "",
      owner: "o3",
      state: 19998 % 9,
      time: 19998,
    });
    expect(read.get(uuid(12_346))).toEqual({
      id: uuid(12_346),
      tenant: "",
      owner: "o1",
      state: 12_346 % 9,
      time: 12_346,
    });
    const page = read.list({ tenant: "", owner: "o0", contextId: "c0" }, undefined, 3);
    expect(page.ids[0]).toBe("late");
    expect(page.total).toBe(
      written.list({ tenant: "", owner: "o0", contextId: "c0" }, undefined, 3).total + 1,
    );
  });
});
