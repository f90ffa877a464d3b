import type { Message } from "../messages.js";

/**
 * Indices of the user messages that start each turn (turn 1 is `starts[0]`). A turn is one user message and
 * every assistant/tool message after it until the next user message.
 */
export function turnStarts(messages: readonly Message[]): number[] {
  const starts: number[] = [];
  messages.forEach((m, i) => {
    if (m.role === "user") starts.push(i);
  });
  return starts;
}

/** Number of user turns in a history. */
export function countTurns(messages: readonly Message[]): number {
  return turnStarts(messages).length;
}

/**
 * Index into `messages` where turn `turn + 1` begins, i.e. how many messages turns 1..`turn` span.
 * Throws a message naming the valid range when `turn` is out of it.
 */
export function endOfTurn(messages: readonly Message[], turn: number): number {
  const starts = turnStarts(messages);
  if (!Number.isInteger(turn) || turn < 0 || turn > starts.length) {
    throw new RangeError(
      `Turn ${turn} does not exist: the session has ${starts.length} turn${starts.length === 1 ? "" : "s"} (use 0 to ${starts.length}).`,
    );
  }
  return turn === starts.length ? messages.length : (starts[turn] as number);
}
