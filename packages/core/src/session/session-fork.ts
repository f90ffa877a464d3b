import { emptyUsage } from "../usage.js";
import { newSessionId, type Session } from "./session.js";
import { countTurns, endOfTurn } from "./session-turns.js";

/** Where a fork came from; `inheritedMessages` are not counted again by `stats`. */
export interface ForkOrigin {
  sessionId: string;
  turn: number;
  inheritedMessages: number;
}

/**
 * A new session with the history of `source` up to and including turn `at` (default: all turns).
 * The source is not modified. Usage starts at zero: the copied turns were paid for by the source.
 */
export function forkSession(source: Session, options: { at?: number; now?: number } = {}): Session {
  const turn = options.at ?? countTurns(source.messages);
  const end = endOfTurn(source.messages, turn);
  const now = options.now ?? Date.now();
  const messages = structuredClone(source.messages.slice(0, end));
  const origin: ForkOrigin = { sessionId: source.id, turn, inheritedMessages: messages.length };
  const fork: Session = {
    version: 1,
    id: newSessionId(now),
    title: `${source.title} (fork)`,
    cwd: source.cwd,
    ...(source.model ? { model: source.model } : {}),
    createdAt: now,
    updatedAt: now,
    messages,
    usage: emptyUsage(),
    metadata: { ...structuredClone(source.metadata), forkedFrom: origin },
  };
  // A compaction summary that covers messages past the cut would describe turns the fork does not have.
  if (source.summary !== undefined && source.compactedFrom !== undefined && source.compactedFrom <= end) {
    fork.summary = source.summary;
    fork.compactedFrom = source.compactedFrom;
  }
  return fork;
}
