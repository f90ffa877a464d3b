import type { Message } from "../messages.js";
import type { Session } from "../session/session.js";

export interface PruneOptions {
  /** Tool results in the last this-many user turns are kept intact (default 2). */
  keepRecentTurns?: number;
  /** Results at most this long are left alone; pruning them saves nothing (default 400 chars). */
  minChars?: number;
  /** Characters of the original output kept as a preview (default 200). */
  previewChars?: number;
}

export interface PruneResult {
  prunedResults: number;
  savedChars: number;
}

/** Metadata key holding the original text of pruned tool results, by tool call id. */
export const PRUNED_OUTPUTS_KEY = "prunedToolOutputs";

/** Index of the first message of the last `turns` user turns (messages.length when turns is 0). */
export function recentTurnsStart(messages: readonly Message[], turns: number, from = 0): number {
  if (turns <= 0) return messages.length;
  let seen = 0;
  for (let i = messages.length - 1; i >= from; i--) {
    if (messages[i]?.role === "user" && ++seen === turns) return i;
  }
  return from;
}

/**
 * Replaces old, long tool outputs with a short placeholder (the cheapest way to free context: the
 * model already acted on them). Only results the model still sees (from `compactedFrom`) and older
 * than the recent turns are touched. The original text moves to `session.metadata.prunedToolOutputs`,
 * so the session file keeps the full history.
 */
export function pruneToolOutputs(session: Session, options: PruneOptions = {}): PruneResult {
  const minChars = options.minChars ?? 400;
  const previewChars = options.previewChars ?? 200;
  const from = session.compactedFrom ?? 0;
  const end = recentTurnsStart(session.messages, options.keepRecentTurns ?? 2, from);
  const existing = session.metadata[PRUNED_OUTPUTS_KEY];
  const store = (existing && typeof existing === "object" ? existing : {}) as Record<string, string>;
  session.metadata[PRUNED_OUTPUTS_KEY] = store;
  let prunedResults = 0;
  let savedChars = 0;
  for (let i = from; i < end; i++) {
    const message = session.messages[i];
    if (message?.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool_result" || part.content.length <= minChars) continue;
      if (store[part.tool_call_id] !== undefined) continue;
      const original = part.content;
      const placeholder =
        `${original.slice(0, previewChars)}\n[… tool output pruned to save context: ${original.length} chars ` +
        "in total. Run the tool again if you need the rest.]";
      if (placeholder.length >= original.length) continue;
      store[part.tool_call_id] = original;
      part.content = placeholder;
      prunedResults++;
      savedChars += original.length - placeholder.length;
    }
  }
  if (Object.keys(store).length === 0) delete session.metadata[PRUNED_OUTPUTS_KEY];
  return { prunedResults, savedChars };
}
