import {
  type ConfinementPolicy,
  endOfTurn,
  type Session,
  toolCallsOf,
  withFileLocks,
} from "@codetether/core";
import type { ChangeSet, SnapshotStore } from "./snapshot-store.js";

/** What a rewind restores: the agent's file changes, the conversation, or both. */
export type RewindScope = "files" | "conversation" | "both";

export interface RewindResult {
  /** Messages removed from the conversation (0 with `files`). */
  removedMessages: number;
  /** Files put back (created files deleted), newest change first. */
  restoredFiles: string[];
  /** Tool calls after the turn whose file changes are no longer recorded (the snapshot store keeps the newest 200). */
  unrecorded: number;
}

/** Ids of the tool calls the agent made after turn `turn`: their file changes are what a rewind undoes. */
export function callIdsAfterTurn(session: Session, turn: number): Set<string> {
  const cut = endOfTurn(session.messages, turn);
  const ids = new Set<string>();
  for (const m of session.messages.slice(cut)) for (const c of toolCallsOf(m)) ids.add(c.id);
  return ids;
}

/**
 * Rewinds a session to the end of turn `turn` (a checkpoint is every user turn). Files: every change the agent's
 * tools recorded after that turn is undone from the snapshot store, newest first — only files the agent changed
 * are touched, never anything else, and git is never used. Conversation: the messages after the turn are removed
 * (the caller saves the session). Throws a RangeError naming the valid turns.
 */
export async function rewindSession(
  session: Session,
  turn: number,
  options: { scope: RewindScope; snapshots: SnapshotStore; policy?: ConfinementPolicy },
): Promise<RewindResult> {
  const cut = endOfTurn(session.messages, turn);
  const result: RewindResult = { removedMessages: 0, restoredFiles: [], unrecorded: 0 };
  if (options.scope !== "conversation") {
    const after = callIdsAfterTurn(session, turn);
    const changes = await options.snapshots.list(session.id);
    // The changes of later turns are the newest: a suffix of the stack.
    let count = 0;
    while (count < changes.length && after.has((changes[changes.length - 1 - count] as ChangeSet).callId))
      count++;
    const recordedCalls = new Set(changes.map((c) => c.callId));
    const fileCalls = session.messages
      .slice(cut)
      .flatMap((m) => m.content)
      .filter((p) => p.type === "tool_result" && after.has(p.tool_call_id) && !p.is_error);
    result.unrecorded = fileCalls.filter(
      (p) =>
        p.type === "tool_result" &&
        !recordedCalls.has(p.tool_call_id) &&
        isFileChange(session, p.tool_call_id),
    ).length;
    const files = changes.slice(changes.length - count).flatMap((c) => c.files.map((f) => f.path));
    await withFileLocks(files, async () => {
      const popped = await options.snapshots.pop(session.id, count);
      for (const [i, change] of popped.entries()) {
        try {
          await options.snapshots.restore(session.id, change, options.policy);
        } catch (err) {
          await options.snapshots.push(session.id, popped.slice(i).reverse());
          throw err;
        }
        result.restoredFiles.push(...change.files.map((f) => f.path));
      }
    });
  }
  if (options.scope !== "files") {
    result.removedMessages = session.messages.length - cut;
    session.messages = session.messages.slice(0, cut);
    if (session.compactedFrom !== undefined && session.compactedFrom > cut) {
      delete session.compactedFrom;
      delete session.summary;
    }
  }
  return result;
}

const FILE_TOOLS = new Set(["write", "edit", "multiedit", "apply_patch"]);

function isFileChange(session: Session, callId: string): boolean {
  for (const m of session.messages)
    for (const c of toolCallsOf(m)) if (c.id === callId) return FILE_TOOLS.has(c.name);
  return false;
}
