import { type BigIntStats, statSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { withFileLocks } from "../util/file-lock.js";
import { statNow } from "../util/stat-now.js";
import { cleanOrphanTempFiles } from "../util/temp-files.js";
import { dataDir } from "../util/xdg-paths.js";
import { type Session, SessionSchema } from "./session.js";
import {
  type ClaimOptions,
  claimLock,
  otherHolder,
  type SessionClaim,
  SessionInUseError,
} from "./session-lock.js";

export interface SessionSummary {
  id: string;
  title: string;
  cwd: string;
  model?: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

/**
 * The on-disk version each loaded or saved session object was in sync with (inode, size and mtime of its file:
 * every atomic write makes a new inode). Module-wide, so two stores of one process see each other's writes.
 */
const versions = new WeakMap<Session, string>();

function versionFrom(st: BigIntStats): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}`;
}

/** A session object that is behind its file: saving it would drop the turns another writer added. */
export class SessionConflictError extends Error {
  override name = "SessionConflictError";
  constructor(
    readonly sessionId: string,
    file: string,
  ) {
    super(
      `Session ${sessionId} was changed by another writer since it was loaded (${file}); saving would drop ` +
        "that writer's turns, so nothing was saved. Continue the session again to build on its latest state.",
    );
  }
}

/**
 * One JSON file per session, written atomically after every step. A process continuing a session claims it
 * first (`<id>.lock` holding its pid), so two processes never overwrite each other's turns.
 */
export class SessionStore {
  readonly dir: string;

  constructor(dir: string = path.join(dataDir(), "sessions")) {
    this.dir = dir;
  }

  private file(id: string): string {
    if (!ID_PATTERN.test(id))
      throw new Error(`Invalid session id "${id}": use letters, digits, "_", "-" or ".".`);
    return path.join(this.dir, `${id}.json`);
  }

  /** The file session `id` is saved to (it exists once the session was first saved). */
  pathOf(id: string): string {
    return this.file(id);
  }

  private lockFile(id: string): string {
    return path.join(this.dir, `${id}.lock`);
  }

  /**
   * Claims a session for this process: waits while another live process holds it (`onWait` is told who),
   * refuses with {@link SessionInUseError} after `waitMs`, and takes over a lock whose process is gone.
   * Also removes temp files that interrupted atomic writes left in the sessions directory.
   */
  async claim(id: string, options: ClaimOptions = {}): Promise<SessionClaim> {
    this.file(id); // validates the id
    const lockFile = this.lockFile(id);
    await fs.mkdir(this.dir, { recursive: true });
    await cleanOrphanTempFiles(this.dir);
    return claimLock(id, lockFile, options);
  }

  /**
   * Saves `session`, unless another live process has claimed it, or (for a loaded session object) its file
   * changed since this object was loaded or last saved: either way a writer's turns would be overwritten.
   */
  async save(session: Session): Promise<void> {
    const file = this.file(session.id);
    const lockFile = this.lockFile(session.id);
    // The checks and the write happen under this process's lock of the file, so two objects cannot interleave.
    // The agent saves after every step: the checks are stats (the lock file is read only when it is not the one
    // this process wrote), and the file's stat gives the mode the atomic write keeps, so a save costs as few
    // round trips to the disk as it can.
    await withFileLocks([file], async () => {
      const holder = await otherHolder(lockFile);
      const current = statNow(file);
      if (holder) throw new SessionInUseError(session.id, holder, lockFile);
      const known = versions.get(session);
      if (known !== undefined && current !== undefined && versionFrom(current) !== known)
        throw new SessionConflictError(session.id, file);
      session.updatedAt = Date.now();
      await writeFileAtomic(file, `${this.serialize(session)}\n`, {
        mode: current ? Number(current.mode & 0o777n) : 0o644,
      });
      const written = statNow(file);
      if (written) versions.set(session, versionFrom(written));
    });
  }

  /**
   * The text stored for `session`. A subclass may mask it (e.g. secrets); the session object itself, and the
   * version tracked for it, stay as they are.
   */
  protected serialize(session: Session): string {
    return JSON.stringify(session);
  }

  async load(id: string): Promise<Session> {
    const file = this.file(id);
    let text: string;
    let version: string;
    try {
      // Read and version the same inode (a rename in between must not pair new text with an old version).
      const handle = await fs.open(file, "r");
      try {
        text = await handle.readFile("utf8");
        version = versionFrom(await handle.stat({ bigint: true }));
      } finally {
        await handle.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(`No session "${id}" in ${this.dir}. List sessions with \`codetether sessions\`.`);
      }
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(
        `Session file ${file} is not valid JSON (${(err as Error).message}); it was left untouched.`,
      );
    }
    const parsed = SessionSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `Session file ${file} does not match the session format at ${issue?.path.join(".") || "(root)"}: ${issue?.message}.`,
      );
    }
    versions.set(parsed.data, version);
    return parsed.data;
  }

  /** Sessions, newest first. Unreadable files are skipped, never deleted. */
  async list(): Promise<SessionSummary[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: SessionSummary[] = [];
    for (const name of names) {
      if (!name.endsWith(".json") || name.startsWith(".")) continue;
      try {
        const s = await this.load(name.slice(0, -5));
        out.push({
          id: s.id,
          title: s.title,
          cwd: s.cwd,
          ...(s.model ? { model: s.model } : {}),
          createdAt: s.createdAt,
          updatedAt: s.updatedAt,
          messageCount: s.messages.length,
        });
      } catch {
        // A corrupt or foreign file is not ours to remove.
      }
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /**
   * Most recently updated session started in `cwd`. Files are read newest mtime first, and the search stops at
   * the first file older than the best match: every save stamps `updatedAt` just before writing, so no file holds
   * a session updated after its mtime (a copied or imported file only has a later mtime). `run -c` thus parses a
   * few sessions, not all of them.
   */
  async latestFor(cwd: string): Promise<Session | undefined> {
    const resolved = path.resolve(cwd);
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return undefined;
    }
    const files = names
      .filter((name) => name.endsWith(".json") && !name.startsWith("."))
      .map((name) => ({
        id: name.slice(0, -5),
        mtimeMs: statSync(path.join(this.dir, name), { throwIfNoEntry: false })?.mtimeMs,
      }))
      .filter((f): f is { id: string; mtimeMs: number } => f.mtimeMs !== undefined)
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    let best: Session | undefined;
    for (const file of files) {
      if (best && file.mtimeMs < best.updatedAt) break;
      let session: Session;
      try {
        session = await this.load(file.id);
      } catch {
        continue; // a corrupt or foreign file is not ours to remove
      }
      if (path.resolve(session.cwd) === resolved && (!best || session.updatedAt > best.updatedAt))
        best = session;
    }
    return best;
  }

  async delete(id: string): Promise<void> {
    await fs.rm(this.file(id), { force: true });
  }
}
