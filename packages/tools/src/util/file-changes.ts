import fs from "node:fs/promises";
import path from "node:path";
import {
  ConfinementError,
  type ConfinementPolicy,
  dataDir,
  isInsideAny,
  realpathLoose,
  removeFileConfined,
  TempFileJournal,
  type ToolContext,
  writeFileConfined,
} from "@codetether/core";
import { filePolicy } from "./file-access.js";
import { SnapshotStore } from "./snapshot-store.js";

/** One planned change: new content (the exact text to write), or `null` to delete the file. */
export interface FileChange {
  path: string;
  content: string | null;
}

/** The session's snapshot store: `ctx.services.snapshots` when the host provides one, else the data dir. */
export function snapshotStore(ctx: ToolContext): SnapshotStore {
  const fromHost = ctx.services?.snapshots;
  return fromHost instanceof SnapshotStore ? fromHost : new SnapshotStore();
}

const journals = new Map<string, Promise<TempFileJournal>>();

/**
 * The data dir's journal of directories this process writes temp files in. Its first use per process sweeps
 * the temp files that writes of crashed earlier runs left in the user's project.
 */
function tempJournal(): Promise<TempFileJournal> {
  const dir = path.join(dataDir(), "pending-writes");
  let journal = journals.get(dir);
  if (!journal) {
    journal = (async () => {
      const created = new TempFileJournal(dir);
      await created.sweep().catch(() => []);
      return created;
    })();
    journals.set(dir, journal);
  }
  return journal;
}

/**
 * Applies validated changes as one unit: snapshot every file first (so `undo` can restore them),
 * then write each atomically inside its verified directory (confined to the workspace, deny rules checked on
 * the real path). If a write fails, files already written are restored (all or nothing).
 * Callers hold {@link withFileLocks} for these paths from reading them until this returns.
 */
export async function applyFileChanges(ctx: ToolContext, tool: string, changes: FileChange[]): Promise<void> {
  const policy = filePolicy(ctx, tool);
  // Record where symlinks lead (a write goes through a link, so a link stays a link); deletes remove the name.
  changes = await Promise.all(
    changes.map(async (c) =>
      c.content === null ? c : { ...c, path: await fs.realpath(c.path).catch(() => c.path) },
    ),
  );
  preflight(changes, policy);
  const store = snapshotStore(ctx);
  const change = await store.record(
    ctx.sessionId,
    tool,
    ctx.callId,
    changes.map((c) => c.path),
  );
  const journal = await tempJournal();
  try {
    for (const c of changes) {
      if (c.content === null) await removeFileConfined(c.path, policy);
      else await writeFileConfined(c.path, c.content, policy, { journal });
    }
  } catch (err) {
    await store.restore(ctx.sessionId, change, policy).catch(() => {});
    await store.remove(ctx.sessionId, change.id).catch(() => {});
    throw err;
  }
}

/** Refuses before anything is snapshotted (a denied file's content must not be copied into the data dir). */
function preflight(changes: FileChange[], policy: ConfinementPolicy): void {
  for (const c of changes) {
    const real = realpathLoose(c.path);
    if (!isInsideAny(policy.roots, real))
      throw new ConfinementError(
        `Path outside the workspace (${policy.roots[0]}): ${c.path} resolves to ${real}; nothing was changed.`,
      );
    const reason = policy.check?.(real);
    if (reason) throw new ConfinementError(`${reason} Nothing was changed.`);
  }
}
