// Saves check the session's lock with a stat while it is still the file this process wrote (issue 25: a read per
// step made the saved step slower); a lock replaced by another live process must still refuse the save.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { createSession, SessionInUseError, SessionStore } from "../src/index.js";

it("saves under its own claim, and refuses once another live process has replaced the lock file", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-lock-fast-"));
  const store = new SessionStore(dir);
  const session = createSession({ cwd: dir });
  const claim = await store.claim(session.id, { waitMs: 0 });
  await store.save(session);
  await store.save(session);

  const lockFile = path.join(dir, `${session.id}.lock`);
  // pid 1 is always alive: a holder this process cannot mistake for itself or for a dead one.
  await fs.rm(lockFile);
  await fs.writeFile(lockFile, `${JSON.stringify({ pid: 1, command: "another codetether" })}\n`);
  await expect(store.save(session)).rejects.toBeInstanceOf(SessionInUseError);
  await claim.release();
  expect(JSON.parse(await fs.readFile(lockFile, "utf8")).pid).toBe(1); // not ours: release leaves it
});
