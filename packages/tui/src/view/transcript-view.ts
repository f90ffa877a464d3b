import wrapAnsi from "wrap-ansi";
import type { Entry } from "../state/transcript.js";
import type { Theme } from "../theme.js";
import { renderMarkdown } from "./markdown.js";
import { sanitizeTerminalText as clean, sanitizeValue } from "./sanitize.js";
import { renderTool } from "./tool-view.js";

/** Hard-wraps lines (ANSI-aware) so each is one terminal row: the viewport counts rows, not lines. */
export function wrapLines(lines: string[], width: number): string[] {
  return lines.flatMap((l) => wrapAnsi(l, Math.max(10, width), { hard: true, trim: false }).split("\n"));
}

/** Renders one transcript entry to terminal lines of at most `width` columns. */
export function renderEntry(raw: Entry, theme: Theme, width: number): string[] {
  const entry = sanitizeEntry(raw);
  switch (entry.kind) {
    case "user":
      return wrapLines(
        entry.text.split("\n").map((l, i) => (i === 0 ? `${theme.user(theme.bold("❯"))} ${l}` : `  ${l}`)),
        width,
      );
    case "assistant": {
      const out: string[] = [];
      if (entry.thinking)
        out.push(...wrapLines([theme.muted(theme.italic(`thinking: ${entry.thinking}`))], width));
      out.push(...renderMarkdown(entry.text, theme, width));
      return out;
    }
    case "tool":
      return wrapLines(renderTool(entry, theme), width);
    case "info":
      return wrapLines([theme.muted(`• ${entry.text}`)], width);
    case "error":
      return wrapLines([theme.error(`✗ ${entry.text}`)], width);
  }
}

/** Untrusted text never reaches the terminal with its control sequences. */
function sanitizeEntry(entry: Entry): Entry {
  switch (entry.kind) {
    case "assistant":
      return { ...entry, text: clean(entry.text), thinking: clean(entry.thinking) };
    case "tool":
      return {
        ...entry,
        tool: clean(entry.tool),
        args: sanitizeValue(entry.args),
        output: clean(entry.output),
        progress: clean(entry.progress),
      };
    default:
      return { ...entry, text: clean(entry.text) };
  }
}

// Entries are replaced (not mutated) when they change, so unchanged ones are rendered once per theme and width:
// a streaming answer re-renders only its own entry, not every highlighted code block above it.
const cache = new WeakMap<Entry, { theme: Theme; width: number; lines: string[] }>();

function cachedEntry(entry: Entry, theme: Theme, width: number): string[] {
  const hit = cache.get(entry);
  if (hit && hit.theme === theme && hit.width === width) return hit.lines;
  const lines = renderEntry(entry, theme, width);
  cache.set(entry, { theme, width, lines });
  return lines;
}

/** The whole transcript as lines, one blank line between entries. */
export function renderTranscript(entries: readonly Entry[], theme: Theme, width: number): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    if (out.length) out.push("");
    out.push(...cachedEntry(entry, theme, width));
  }
  return out;
}
