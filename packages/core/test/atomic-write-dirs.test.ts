import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { createSession, SessionStore, writeFileAtomic } from "../src/index.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "ct-atomic-dirs-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it("creates missing directories (the mkdir happens only when the first open says ENOENT)", async () => {
  const file = path.join(root, "a", "b", "c.txt");
  await writeFileAtomic(file, "one");
  expect(fs.readFileSync(file, "utf8")).toBe("one");
  await writeFileAtomic(file, "two");
  expect(fs.readFileSync(file, "utf8")).toBe("two");
  expect(fs.readdirSync(path.dirname(file))).toEqual(["c.txt"]);
});

it("a session save keeps the file's mode, recreates a removed sessions dir, and still refuses a stale object", async () => {
  const dir = path.join(root, "sessions");
  const store = new SessionStore(dir);
  const session = createSession({ cwd: root });
  await store.save(session);
  const file = path.join(dir, `${session.id}.json`);
  fs.chmodSync(file, 0o600);
  session.title = "renamed";
  await store.save(session);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(JSON.parse(fs.readFileSync(file, "utf8")).title).toBe("renamed");

  // Another object of the same session writes first: the older object must not overwrite it.
  const other = await store.load(session.id);
  other.title = "from the other writer";
  await store.save(other);
  await expect(store.save(session)).rejects.toThrow(/changed by another writer/);

  fs.rmSync(dir, { recursive: true });
  const fresh = createSession({ cwd: root });
  await store.save(fresh);
  expect(fs.existsSync(path.join(dir, `${fresh.id}.json`))).toBe(true);
});
