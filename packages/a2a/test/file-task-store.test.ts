import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Task, TaskState } from "@a2a-js/sdk";
import { ServerCallContext } from "@a2a-js/sdk/server";
import { afterEach, describe, expect, it } from "vitest";
import { FileTaskStore } from "../src/index.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), "ct-taskstore-"));
  dirs.push(d);
  return d;
}

function task(id: string, state: TaskState): Task {
  return Task.fromJSON({ id, contextId: "ctx", status: { state, timestamp: new Date().toISOString() } });
}

async function onDisk(dir: string, id: string): Promise<string | undefined> {
  try {
    const raw = JSON.parse(await fs.readFile(path.join(dir, `${id}.json`), "utf8"));
    return raw.task.status.state as string;
  } catch {
    return undefined;
  }
}

describe("FileTaskStore write coalescing", () => {
  const context = new ServerCallContext({ requestedVersion: "1.0" });

  it("a final state is on disk when save resolves and replaces pending transient writes", async () => {
    const dir = await tempDir();
    const store = new FileTaskStore(dir);
    await store.save(task("t1", TaskState.TASK_STATE_SUBMITTED), context);
    await store.save(task("t1", TaskState.TASK_STATE_WORKING), context);
    // Transient states are deferred: nothing is written yet, but readers see the newest state.
    expect(await onDisk(dir, "t1")).toBeUndefined();
    expect((await store.load("t1", context))?.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    await store.save(task("t1", TaskState.TASK_STATE_COMPLETED), context);
    expect(await onDisk(dir, "t1")).toBe("TASK_STATE_COMPLETED");
    // No stale transient write lands afterwards.
    await new Promise((r) => setTimeout(r, 60));
    await store.flush();
    expect(await onDisk(dir, "t1")).toBe("TASK_STATE_COMPLETED");
    const reopened = new FileTaskStore(dir);
    expect((await reopened.load("t1", context))?.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it("transient states reach disk on their own and on flush", async () => {
    const dir = await tempDir();
    const store = new FileTaskStore(dir);
    await store.save(task("t2", TaskState.TASK_STATE_WORKING), context);
    await new Promise((r) => setTimeout(r, 100));
    await store.flush();
    expect(await onDisk(dir, "t2")).toBe("TASK_STATE_WORKING");
    await store.save(task("t3", TaskState.TASK_STATE_SUBMITTED), context);
    await store.flush();
    expect(await onDisk(dir, "t3")).toBe("TASK_STATE_SUBMITTED");
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith(".tmp"));
    expect(files).toEqual([]);
  });

  it("input-required is durable and another caller's task is still refused", async () => {
    const dir = await tempDir();
    const store = new FileTaskStore(dir, { ownerResolver: (c) => c.user?.userName ?? "anon" });
    await store.save(task("t4", TaskState.TASK_STATE_INPUT_REQUIRED), context);
    expect(await onDisk(dir, "t4")).toBe("TASK_STATE_INPUT_REQUIRED");
    const other = new ServerCallContext({ requestedVersion: "1.0", tenant: "other" });
    await expect(store.save(task("t4", TaskState.TASK_STATE_WORKING), other)).rejects.toThrow(
      /another caller/,
    );
    expect((await store.load("t4", context))?.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
  });
});
