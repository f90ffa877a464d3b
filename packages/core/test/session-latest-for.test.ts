// `run -c` finds the latest session of a folder without parsing every stored session: files are visited newest
// mtime first, and the search stops once no older file can hold a later session (updatedAt ≤ mtime).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { createSession, type Session, SessionStore } from "../src/index.js";

class CountingStore extends SessionStore {
  loads = 0;
  override async load(id: string): Promise<Session> {
    this.loads++;
    return super.load(id);
  }
}

async function saveAt(store: SessionStore, cwd: string, updatedAt: number, mtime: number): Promise<Session> {
  const session = createSession({ cwd });
  await store.save(session);
  // save() stamps updatedAt; write the file again with the time this test wants.
  const file = store.pathOf(session.id);
  await fs.writeFile(file, `${JSON.stringify({ ...session, updatedAt })}\n`);
  await fs.utimes(file, mtime / 1000, mtime / 1000);
  return { ...session, updatedAt };
}

it("loads only the files it needs to find the latest session of a folder", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-latest-"));
  const store = new CountingStore(dir);
  const t0 = Date.now() - 1_000_000;
  for (let i = 0; i < 40; i++) await saveAt(store, "/elsewhere", t0 + i, t0 + i);
  const mine = await saveAt(store, "/project", t0 + 500, t0 + 500);
  store.loads = 0;
  expect((await store.latestFor("/project"))?.id).toBe(mine.id);
  expect(store.loads).toBeLessThanOrEqual(2);
});

it("still picks the latest updatedAt when a file's mtime is newer than its session (copied or imported)", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-latest-"));
  const store = new CountingStore(dir);
  const t0 = Date.now() - 1_000_000;
  const latest = await saveAt(store, "/project", t0 + 100, t0 + 100);
  await saveAt(store, "/project", t0 + 10, t0 + 900); // old session, file touched later
  await saveAt(store, "/project", t0 + 5, t0 + 50);
  expect((await store.latestFor("/project"))?.id).toBe(latest.id);
  expect(await store.latestFor("/nowhere")).toBeUndefined();
});
