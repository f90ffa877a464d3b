import { sanitizeTerminalText } from "./sanitize.js";

/**
 * Runs of blank-looking characters: whitespace, zero-width characters and the fillers that render as blank
 * (braille blank, Hangul fillers). A model pads a command with them to push its dangerous end out of view.
 */
const BLANK_RUN = /[\s\u115F\u1160\u180E\u200B-\u200D\u2060\u2800\u3164\uFEFF\uFFA0]{4,}/g;

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
  const visible = text.replace(BLANK_RUN, (run) => ` ⟨${run.length} blank⟩ `);
  if (visible.length <= LIMIT) return visible;
  const hidden = visible.length - HEAD - TAIL;
  return `${visible.slice(0, HEAD)} …⟨${hidden} characters not shown⟩… ${visible.slice(-TAIL)}`;
}
