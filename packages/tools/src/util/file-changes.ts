import fs from "node:fs/promises";
import { type ToolContext, writeFileAtomic } from "@codetether/core";
import { SnapshotStore } from "./snapshot-store.js";

/** One planned change: new content, or `null` to delete the file. */
export interface FileChange {
  path: string;
  content: string | null;
}

/** The session's snapshot store: `ctx.services.snapshots` when the host provides one, else the data dir. */
export function snapshotStore(ctx: ToolContext): SnapshotStore {
  const fromHost = ctx.services?.snapshots;
  return fromHost instanceof SnapshotStore ? fromHost : new SnapshotStore();
}

/**
 * Applies validated changes as one unit: snapshot every file first (so `undo` can restore them),
 * then write each atomically. If a write fails, files already written are restored, so the
 * workspace is left as it was (all or nothing).
 */
export async function applyFileChanges(ctx: ToolContext, tool: string, changes: FileChange[]): Promise<void> {
  // Write through symlinks (the permission gate already checked where they point), so a link stays a link.
  changes = await Promise.all(
    changes.map(async (c) =>
      c.content === null ? c : { ...c, path: await fs.realpath(c.path).catch(() => c.path) },
    ),
  );
  const store = snapshotStore(ctx);
  const change = await store.record(
    ctx.sessionId,
    tool,
    ctx.callId,
    changes.map((c) => c.path),
  );
  try {
    for (const c of changes) {
      if (c.content === null) await fs.rm(c.path);
      else await writeFileAtomic(c.path, c.content);
    }
  } catch (err) {
    await store.restore(ctx.sessionId, change).catch(() => {});
    await store.remove(ctx.sessionId, change.id).catch(() => {});
    throw err;
  }
}
