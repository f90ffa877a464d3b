import { revealPadding, sanitizeTerminalText } from "@codetether/core";

/** At most this many characters are shown; past it the head and the tail are, with the count left out. */
const LIMIT = 1200;
const HEAD = 800;
const TAIL = 300;

/**
 * The arguments of a tool call as a permission prompt shows them: what the user approves must be what runs.
 * Escape sequences are stripped, runs of blanks are shown as `⟨N blank⟩` (so padding cannot hide the end of a
 * command), and a long value keeps its head and its tail with the number of characters not shown in between
 * (never a silent cut).
 */
export function permissionArgsPreview(args: unknown): string {
  const text = sanitizeTerminalText(typeof args === "string" ? args : (JSON.stringify(args) ?? ""));
  const visible = revealPadding(text);
  if (visible.length <= LIMIT) return visible;
  const hidden = visible.length - HEAD - TAIL;
  return `${visible.slice(0, HEAD)} …⟨${hidden} characters not shown⟩… ${visible.slice(-TAIL)}`;
}
