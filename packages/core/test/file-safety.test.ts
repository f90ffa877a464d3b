import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  cleanOrphanTempFiles,
  readFileConfined,
  SessionStore,
  TempFileJournal,
  withFileLocks,
  writeFileAtomic,
  writeFileConfined,
} from "../src/index.js";
import { createSession } from "../src/session/session.js";

const tmp = async () => fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ct-core-fs-")));
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid as number;
const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

describe("confined file access", () => {
  it("a symlink swapped in while writing never redirects the write outside the root (50 tries)", async () => {
    const base = await tmp();
    const root = path.join(base, "ws");
    const outside = path.join(base, "outside");
    await fs.mkdir(root);
    await fs.mkdir(outside);
    for (let i = 0; i < 50; i++) {
      await fs.rm(path.join(root, "race"), { recursive: true, force: true });
      const write = writeFileConfined(path.join(root, "race", "pwn.txt"), "x", { roots: [root] }).catch(
        (err: Error) => err,
      );
      const swap = fs.symlink(outside, path.join(root, "race")).catch(() => {});
      await Promise.all([write, swap]);
      expect(await fs.readdir(outside)).toEqual([]);
    }
  });
  it("refuses a target whose parent resolves outside, and a read through a link to outside", async () => {
    const base = await tmp();
    const root = path.join(base, "ws");
    await fs.mkdir(root);
    await fs.writeFile(path.join(base, "secret"), "s");
    await fs.symlink(base, path.join(root, "up"));
    await fs.symlink(path.join(base, "secret"), path.join(root, "s"));
    await expect(writeFileConfined(path.join(root, "up", "x"), "x", { roots: [root] })).rejects.toThrow(
      /outside the workspace/,
    );
    await expect(readFileConfined(path.join(root, "s"), { roots: [root] })).rejects.toThrow(
      /outside the workspace/,
    );
    await expect(fs.stat(path.join(base, "x"))).rejects.toThrow();
  });
  it("checks the real path before writing and writes through an inside link, keeping it a link", async () => {
    const root = await tmp();
    await fs.writeFile(path.join(root, ".env"), "A=1\n");
    await fs.symlink(".env", path.join(root, "link"));
    const check = (real: string) => (path.basename(real) === ".env" ? "denied: .env" : undefined);
    await expect(writeFileConfined(path.join(root, "link"), "B", { roots: [root], check })).rejects.toThrow(
      "denied: .env",
    );
    expect(await fs.readFile(path.join(root, ".env"), "utf8")).toBe("A=1\n");
    await writeFileConfined(path.join(root, "link"), "C", { roots: [root] });
    expect((await fs.lstat(path.join(root, "link"))).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(root, ".env"), "utf8")).toBe("C");
    expect((await fs.readdir(root)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});

describe("per-file locks", () => {
  it("serialise one real path (also through a symlink) and leave other files parallel", async () => {
    const root = await tmp();
    await fs.writeFile(path.join(root, "a"), "");
    await fs.symlink("a", path.join(root, "alias"));
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = withFileLocks([path.join(root, "a")], async () => {
      order.push("first-in");
      await new Promise<void>((r) => {
        releaseFirst = r;
      });
      order.push("first-out");
    });
    const viaAlias = withFileLocks([path.join(root, "alias")], async () => {
      order.push("alias");
    });
    // A different file is not blocked by the held lock.
    await withFileLocks([path.join(root, "b")], async () => {
      order.push("other");
    });
    expect(order).toEqual(["first-in", "other"]);
    releaseFirst();
    await Promise.all([first, viaAlias]);
    expect(order).toEqual(["first-in", "other", "first-out", "alias"]);
  });
});

describe("orphaned temp files", () => {
  it("temp files of a dead writer are removed at start; a live writer's are kept", async () => {
    const dir = await tmp();
    await writeFileAtomic(path.join(dir, "s.json"), "{}\n");
    const dead = path.join(dir, `.s.json.${deadPid()}.0a1b2c3d4e5f.tmp`);
    const live = path.join(dir, `.s.json.${process.pid}.0a1b2c3d4e5f.tmp`);
    const foreign = path.join(dir, "notes.tmp");
    for (const f of [dead, live, foreign]) await fs.writeFile(f, "partial");
    expect(await cleanOrphanTempFiles(dir)).toEqual([dead]);
    expect((await fs.readdir(dir)).sort()).toEqual([path.basename(live), "notes.tmp", "s.json"].sort());
  });
  it("SessionStore.claim cleans orphans of the sessions directory", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const orphan = path.join(dir, `.ses_x.json.${deadPid()}.ffffffffffff.tmp`);
    await fs.writeFile(orphan, "{");
    const claim = await store.claim("ses_x");
    await claim.release();
    await expect(fs.stat(orphan)).rejects.toThrow();
  });
});

describe("temp-file journal", () => {
  it("notes the directories a process writes temp files in; a later sweep cleans those of dead processes", async () => {
    const base = await tmp();
    const journal = new TempFileJournal(path.join(base, "pending-writes"));
    const project = path.join(base, "project");
    await fs.mkdir(project);
    await writeFileConfined(path.join(project, "a.txt"), "a", { roots: [project] }, { journal });
    expect(await fs.readFile(path.join(base, "pending-writes", `${process.pid}.dirs`), "utf8")).toBe(
      `${project}\n`,
    );
    // A crashed run: its journal names the project, where its temp file was left.
    const dead = deadPid();
    const orphan = path.join(project, `.b.txt.${dead}.00aa11bb22cc.tmp`);
    await fs.writeFile(orphan, "half");
    await fs.writeFile(path.join(base, "pending-writes", `${dead}.dirs`), `${project}\n`);
    expect(await journal.sweep()).toEqual([orphan]);
    expect((await fs.readdir(path.join(base, "pending-writes"))).sort()).toEqual([`${process.pid}.dirs`]);
    expect((await fs.readdir(project)).sort()).toEqual(["a.txt"]);
  });
});

describe("one writer per session", () => {
  const otherProcess = () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    children.push(child);
    return child.pid as number;
  };
  it("a session held by another live process is refused by claim and save, naming the pid", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const session = createSession({ cwd: dir });
    await store.save(session);
    const pid = otherProcess();
    await fs.writeFile(
      path.join(dir, `${session.id}.lock`),
      JSON.stringify({ pid, command: "codetether run -c", startedAt: Date.now() }),
    );
    await expect(store.claim(session.id, { waitMs: 0 })).rejects.toThrow(new RegExp(`pid ${pid}`));
    await expect(store.save(session)).rejects.toThrow(new RegExp(`pid ${pid}`));
  });
  it("a session object behind its file (another writer saved meanwhile) is never saved over it", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const created = createSession({ cwd: dir });
    await store.save(created);
    const a = await store.load(created.id);
    const b = await new SessionStore(dir).load(created.id);
    a.messages.push({ role: "user", content: [{ type: "text", text: "from a" }], createdAt: 1 });
    await store.save(a);
    b.messages.push({ role: "user", content: [{ type: "text", text: "from b" }], createdAt: 2 });
    await expect(store.save(b)).rejects.toThrow(/changed by another writer/);
    // The writer that is in sync keeps saving; the file has a's turn.
    await store.save(a);
    expect(JSON.stringify((await store.load(created.id)).messages)).toContain("from a");
  });
  it("a stale lock of a dead process is taken over; a waiting claim gets the session after release", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    await fs.writeFile(path.join(dir, "ses_a.lock"), JSON.stringify({ pid: deadPid(), startedAt: 1 }));
    const first = await store.claim("ses_a");
    const waits: string[] = [];
    let waiting!: () => void;
    const startedWaiting = new Promise<void>((r) => {
      waiting = r;
    });
    const second = store.claim("ses_a", {
      onWait: (holder) => {
        waits.push(`pid ${holder.pid}`);
        waiting();
      },
    });
    await startedWaiting;
    expect(waits).toEqual([`pid ${process.pid}`]);
    await first.release();
    const claimed = await second;
    await claimed.release();
    await expect(fs.stat(path.join(dir, "ses_a.lock"))).rejects.toThrow();
  });
});
