import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import {
  type ConfinementPolicy,
  cleanOrphanTempFiles,
  dataDir,
  lazySchema,
  removeFileConfined,
  writeFileAtomic,
  writeFileConfined,
} from "@codetether/core";
import { z } from "zod";

const FileSnapshotSchema = lazySchema(() =>
  z.object({
    path: z.string(),
    /** False when the agent created the file: undo deletes it. */
    existed: z.boolean(),
    /** Content-addressed blob name under `blobs/` (absent when the file did not exist). */
    blob: z.string().optional(),
    mode: z.number().optional(),
  }),
);

const ChangeSetSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    tool: z.string(),
    callId: z.string(),
    time: z.number(),
    files: z.array(FileSnapshotSchema),
  }),
);
export type ChangeSet = z.infer<typeof ChangeSetSchema>;
export type FileSnapshot = z.infer<typeof FileSnapshotSchema>;

const IndexSchema = lazySchema(() => z.object({ version: z.literal(1), changes: z.array(ChangeSetSchema) }));

const SESSION_ID = /^[A-Za-z0-9_.-]+$/;
/** Oldest change sets beyond this are forgotten (and their unreferenced blobs deleted). */
const DEFAULT_MAX_CHANGES = 200;

/**
 * The agent's own before-images of files it changes, per session, under the data dir
 * (`<dataDir>/snapshots/<session>/`). `undo` restores from here; git is never touched.
 */
export class SnapshotStore {
  readonly dir: string;
  /** Serialises index updates per session (batch runs edits concurrently). */
  private static readonly locks = new Map<string, Promise<unknown>>();

  readonly maxChanges: number;
  /** Session dirs swept of orphaned temp files by this process (once each, at first use). */
  private static readonly swept = new Set<string>();

  constructor(dir: string = path.join(dataDir(), "snapshots"), options: { maxChanges?: number } = {}) {
    this.dir = dir;
    this.maxChanges = options.maxChanges ?? DEFAULT_MAX_CHANGES;
  }

  private sessionDir(sessionId: string): string {
    if (!SESSION_ID.test(sessionId)) throw new Error(`Invalid session id for snapshots: "${sessionId}"`);
    return path.join(this.dir, sessionId);
  }

  async list(sessionId: string): Promise<ChangeSet[]> {
    const file = path.join(this.sessionDir(sessionId), "index.json");
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch {
      return [];
    }
    const parsed = IndexSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`Snapshot index ${file} is corrupt; it was left untouched.`);
    return parsed.data.changes;
  }

  private async saveIndex(sessionId: string, changes: ChangeSet[]): Promise<void> {
    const file = path.join(this.sessionDir(sessionId), "index.json");
    await writeFileAtomic(file, `${JSON.stringify({ version: 1, changes })}\n`, { mode: 0o600 });
  }

  private async locked<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const key = this.sessionDir(sessionId);
    const previous = SnapshotStore.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => {});
    SnapshotStore.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (SnapshotStore.locks.get(key) === settled) SnapshotStore.locks.delete(key);
    }
  }

  /** Records the current state of `files` (absolute paths) before a tool changes them. */
  async record(sessionId: string, tool: string, callId: string, files: string[]): Promise<ChangeSet> {
    // Blobs are written under the lock too, so pruning can never delete a blob of a change in flight.
    return this.locked(sessionId, () => this.recordLocked(sessionId, tool, callId, files));
  }

  private async recordLocked(
    sessionId: string,
    tool: string,
    callId: string,
    files: string[],
  ): Promise<ChangeSet> {
    const dir = this.sessionDir(sessionId);
    if (!SnapshotStore.swept.has(dir)) {
      SnapshotStore.swept.add(dir);
      // Temp files of an index or blob write interrupted by a crash of an earlier run.
      await cleanOrphanTempFiles(dir);
      await cleanOrphanTempFiles(path.join(dir, "blobs"));
    }
    const snapshots: FileSnapshot[] = [];
    for (const file of [...new Set(files)]) {
      let data: Buffer;
      let mode: number;
      try {
        data = await fs.readFile(file);
        mode = (await fs.stat(file)).mode & 0o777;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
        snapshots.push({ path: file, existed: false });
        continue;
      }
      const blob = createHash("sha256").update(data).digest("hex");
      const blobFile = path.join(dir, "blobs", blob);
      const exists = await fs.stat(blobFile).then(
        () => true,
        () => false,
      );
      if (!exists) await writeFileAtomic(blobFile, data, { mode: 0o600 });
      snapshots.push({ path: file, existed: true, blob, mode });
    }
    const change: ChangeSet = {
      id: `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`,
      tool,
      callId,
      time: Date.now(),
      files: snapshots,
    };
    const changes = await this.list(sessionId);
    changes.push(change);
    const dropped = changes.splice(0, Math.max(0, changes.length - this.maxChanges));
    await this.saveIndex(sessionId, changes);
    if (dropped.length) await this.pruneBlobs(sessionId, changes);
    return change;
  }

  private async pruneBlobs(sessionId: string, keep: ChangeSet[]): Promise<void> {
    const used = new Set(keep.flatMap((c) => c.files.flatMap((f) => (f.blob ? [f.blob] : []))));
    const blobs = path.join(this.sessionDir(sessionId), "blobs");
    for (const name of await fs.readdir(blobs).catch(() => [] as string[]))
      if (!used.has(name)) await fs.rm(path.join(blobs, name), { force: true });
  }

  /**
   * Puts every file of `change` back as it was (deleting files the change created). With a `policy` (the
   * tools pass one) each file is restored confined like any write: inside the roots, deny rules checked.
   */
  async restore(sessionId: string, change: ChangeSet, policy?: ConfinementPolicy): Promise<void> {
    const dir = this.sessionDir(sessionId);
    for (const file of change.files) {
      if (!file.existed) {
        if (policy) await removeFileConfined(file.path, policy);
        else await fs.rm(file.path, { force: true });
        continue;
      }
      const data = await fs.readFile(path.join(dir, "blobs", file.blob!));
      const options = file.mode !== undefined ? { mode: file.mode } : {};
      if (policy) await writeFileConfined(file.path, data, policy, options);
      else await writeFileAtomic(file.path, data, options);
    }
  }

  /** Removes the newest `count` change sets from the index and returns them, newest first. */
  async pop(sessionId: string, count: number): Promise<ChangeSet[]> {
    return this.locked(sessionId, async () => {
      const changes = await this.list(sessionId);
      const popped = changes.splice(Math.max(0, changes.length - count)).reverse();
      await this.saveIndex(sessionId, changes);
      return popped;
    });
  }

  /** Puts change sets back on top of the stack, oldest first (an undo that failed part-way). */
  async push(sessionId: string, changes: ChangeSet[]): Promise<void> {
    await this.locked(sessionId, async () => {
      await this.saveIndex(sessionId, [...(await this.list(sessionId)), ...changes]);
    });
  }

  /** Drops one change set (a write that failed and was rolled back). */
  async remove(sessionId: string, id: string): Promise<void> {
    await this.locked(sessionId, async () => {
      const changes = await this.list(sessionId);
      await this.saveIndex(
        sessionId,
        changes.filter((c) => c.id !== id),
      );
    });
  }
}
