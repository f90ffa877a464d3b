import { randomBytes } from "node:crypto";
import type { BigIntStats } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import { statNow } from "../util/stat-now.js";
import { processAlive } from "../util/temp-files.js";

/** Who holds a session: written into `<session>.lock` by the process continuing it. */
export interface SessionHolder {
  pid: number;
  hostname?: string;
  command?: string;
  startedAt?: number;
}

/** A session another running process is continuing. */
export class SessionInUseError extends Error {
  override name = "SessionInUseError";
  constructor(
    readonly sessionId: string,
    readonly holder: SessionHolder,
    readonly lockFile: string,
  ) {
    super(
      `Session ${sessionId} is in use by ${describeHolder(holder)}; its turns would overwrite each other. ` +
        `Wait for that process to finish, or start a new session. If it is gone, delete ${lockFile}.`,
    );
  }
}

export function describeHolder(holder: SessionHolder): string {
  const since = holder.startedAt ? `, since ${new Date(holder.startedAt).toISOString()}` : "";
  const host = holder.hostname && holder.hostname !== os.hostname() ? ` on ${holder.hostname}` : "";
  return `pid ${holder.pid}${host} (${holder.command ?? "codetether"}${since})`;
}

/** Lock files this process holds (a second claim in the same process waits like another process would). */
const held = new Set<string>();

/**
 * The inode and mtime of each lock file this process wrote. The agent checks the lock before every save; while the
 * file is still the one it wrote, a stat answers that (no read), which keeps the per-step save cheap (issue 25).
 */
const heldIdentity = new Map<string, string>();

const identityOf = (st: BigIntStats) => `${st.ino}:${st.mtimeNs}`;

/** An empty or torn lock file (its writer died mid-write) is stale once it is this old. */
const TORN_LOCK_MS = 10_000;
const POLL_MS = 200;

async function readHolder(lockFile: string): Promise<SessionHolder | "missing" | "torn"> {
  if (!statNow(lockFile)) return "missing"; // the common case when nobody claimed the session: no read needed
  let text: string;
  try {
    text = await fs.readFile(lockFile, "utf8");
  } catch {
    return "missing";
  }
  try {
    const json = JSON.parse(text) as SessionHolder;
    if (Number.isInteger(json.pid)) return json;
  } catch {
    // fall through
  }
  const age = await fs.stat(lockFile).then(
    (st) => Date.now() - st.mtimeMs,
    () => 0,
  );
  return age > TORN_LOCK_MS ? "torn" : { pid: -1, command: "a process that is just starting" };
}

/** Whether a recorded holder still runs: another host cannot be checked, so it counts as alive. */
function holderAlive(holder: SessionHolder): boolean {
  if (holder.pid === -1) return true;
  if (holder.hostname && holder.hostname !== os.hostname()) return true;
  return holder.pid !== process.pid && processAlive(holder.pid);
}

/** The live holder of `lockFile` other than this process, if any. */
export async function otherHolder(lockFile: string): Promise<SessionHolder | undefined> {
  const mine = heldIdentity.get(lockFile);
  if (mine !== undefined) {
    const st = statNow(lockFile);
    if (st && identityOf(st) === mine) return undefined; // still the lock file this process wrote
  }
  const holder = await readHolder(lockFile);
  if (holder === "missing" || holder === "torn") return undefined;
  return holderAlive(holder) ? holder : undefined;
}

export interface ClaimOptions {
  /** How long to wait for another holder (default 10 minutes); 0 refuses at once. */
  waitMs?: number;
  /** Called once when the session is busy and this claim starts waiting. */
  onWait?: (holder: SessionHolder) => void;
  /** Shown to a process that finds the session busy (default: this process's command line). */
  command?: string;
}

export interface SessionClaim {
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes `lockFile` (created exclusively, holding this pid), waiting while another live process or claim holds
 * it. A lock whose process is gone is stale and taken over, so a crash never blocks a session for good.
 */
export async function claimLock(
  sessionId: string,
  lockFile: string,
  options: ClaimOptions = {},
): Promise<SessionClaim> {
  const deadline = Date.now() + (options.waitMs ?? 600_000);
  const me: SessionHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command: options.command ?? commandLine(),
    startedAt: Date.now(),
  };
  let waiting = false;
  for (;;) {
    if (!held.has(lockFile)) {
      try {
        await fs.writeFile(lockFile, `${JSON.stringify(me)}\n`, { flag: "wx", mode: 0o600 });
        held.add(lockFile);
        const written = statNow(lockFile);
        if (written) heldIdentity.set(lockFile, identityOf(written));
        return { release: () => releaseLock(lockFile) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
    }
    const holder = held.has(lockFile) ? me : await readHolder(lockFile);
    if (holder === "missing") continue;
    if (holder === "torn" || (holder !== me && !holderAlive(holder))) {
      await removeStale(lockFile, holder);
      continue;
    }
    if (Date.now() >= deadline) throw new SessionInUseError(sessionId, holder, lockFile);
    if (!waiting) {
      waiting = true;
      options.onWait?.(holder);
    }
    await sleep(POLL_MS);
  }
}

/**
 * Removes a stale lock (its process is gone, or it was left torn). Two processes may find the same stale lock:
 * the file is first renamed away, and if what was moved is not the stale lock seen (another process already
 * replaced it with its own live lock), it is linked back, so a fresh lock is never deleted.
 */
async function removeStale(lockFile: string, seen: SessionHolder | "torn"): Promise<void> {
  const grave = `${lockFile}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    await fs.rename(lockFile, grave);
  } catch {
    return; // someone else moved it first
  }
  const moved = await readHolder(grave);
  const same =
    seen === "torn"
      ? moved === "torn"
      : typeof moved === "object" && moved.pid === seen.pid && moved.startedAt === seen.startedAt;
  if (!same) await fs.link(grave, lockFile).catch(() => {});
  await fs.rm(grave, { force: true });
}

async function releaseLock(lockFile: string): Promise<void> {
  heldIdentity.delete(lockFile);
  if (!held.delete(lockFile)) return;
  const holder = await readHolder(lockFile);
  if (typeof holder === "object" && holder.pid === process.pid) await fs.rm(lockFile, { force: true });
}

function commandLine(): string {
  const args = process.argv.slice(2).map((a) => (a.length > 40 ? `${a.slice(0, 37)}...` : a));
  return ["codetether", ...args].join(" ").slice(0, 200);
}
