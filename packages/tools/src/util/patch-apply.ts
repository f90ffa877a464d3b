import { editDistance } from "@codetether/core";
import type { Hunk } from "./patch-parse.js";

export class HunkError extends Error {}

const NORMALIZERS: Array<(s: string) => string> = [(s) => s, (s) => s.trimEnd(), (s) => s.trim()];

function matchesAt(lines: string[], at: number, wanted: string[], norm: (s: string) => string): boolean {
  if (at < 0 || at + wanted.length > lines.length) return false;
  return wanted.every((w, k) => norm(lines[at + k]!) === norm(w));
}

/** Positions (>= from) where `wanted` matches, with the strictest normalisation that finds any. */
function seek(lines: string[], wanted: string[], from: number, atEnd: boolean): number[] {
  for (const norm of NORMALIZERS) {
    if (atEnd) {
      const at = lines.length - wanted.length;
      if (at >= from && matchesAt(lines, at, wanted, norm)) return [at];
      continue;
    }
    const hits: number[] = [];
    for (let at = from; at + wanted.length <= lines.length; at++)
      if (matchesAt(lines, at, wanted, norm)) hits.push(at);
    if (hits.length) return hits;
  }
  return [];
}

/** The file region that looks most like the hunk's old lines, to show the model what is really there. */
function nearestContext(lines: string[], wanted: string[]): string {
  if (lines.length === 0) return "(the file is empty)";
  const first = wanted.find((w) => w.trim()) ?? "";
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let i = 0; i < lines.length; i++) {
    const score = editDistance(lines[i]!.trim(), first.trim());
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  const from = Math.max(0, best - 2);
  const to = Math.min(lines.length, best + Math.max(wanted.length, 3) + 2);
  return lines
    .slice(from, to)
    .map((l, k) => `${String(from + k + 1).padStart(5)}| ${l}`)
    .join("\n");
}

/**
 * Applies hunks to a file's content in memory. Throws {@link HunkError} naming the failing hunk and
 * the nearest matching context; the caller writes nothing in that case.
 */
export function applyHunks(content: string, hunks: Hunk[], fileLabel: string): string {
  const trailingNewline = content === "" || content.endsWith("\n");
  const lines = content === "" ? [] : content.replace(/\n$/, "").split("\n");
  const replacements: Array<{ at: number; remove: number; insert: string[] }> = [];
  let cursor = 0;
  for (const [index, hunk] of hunks.entries()) {
    const oldLines = hunk.lines.filter((l) => l.op !== "+").map((l) => l.text);
    const newLines = hunk.lines.filter((l) => l.op !== "-").map((l) => l.text);
    let from = cursor;
    if (hunk.anchor) {
      const anchorHits = seek(lines, [hunk.anchor], cursor, false);
      if (anchorHits.length) from = anchorHits[0]! + (oldLines[0]?.trim() === hunk.anchor.trim() ? 0 : 1);
    }
    let at: number;
    if (oldLines.length === 0) {
      at = hunk.atEnd
        ? lines.length
        : hunk.oldStart !== undefined
          ? Math.min(hunk.oldStart, lines.length)
          : lines.length;
    } else {
      const hits = seek(lines, oldLines, from, hunk.atEnd ?? false);
      if (hits.length === 0) {
        throw new HunkError(
          `Hunk ${index + 1} of ${fileLabel} does not apply: these lines were not found` +
            `${cursor > 0 ? ` after line ${cursor}` : ""}:\n${oldLines.map((l) => `  ${l}`).join("\n")}\n` +
            `Nearest matching context in the file:\n${nearestContext(lines, oldLines)}\n` +
            "Nothing was written. Re-read the file and regenerate the patch against its current content.",
        );
      }
      const target = hunk.oldStart !== undefined ? hunk.oldStart - 1 : from;
      at = hits.reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
    }
    replacements.push({ at, remove: oldLines.length, insert: newLines });
    cursor = at + oldLines.length;
  }
  for (const r of [...replacements].sort((a, b) => b.at - a.at)) lines.splice(r.at, r.remove, ...r.insert);
  if (lines.length === 0) return "";
  return lines.join("\n") + (trailingNewline ? "\n" : "");
}
