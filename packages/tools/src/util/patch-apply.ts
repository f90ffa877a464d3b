import { editDistance } from "@codetether/core";
import type { Hunk, HunkLine } from "./patch-parse.js";

export class HunkError extends Error {}

/**
 * Typographic punctuation a file may hold where a model writes ASCII: dashes and hyphens (U+2010–2015,
 * minus U+2212), curly and low quotes, and non-breaking/narrow spaces.
 */
const TYPOGRAPHIC: Array<[RegExp, string]> = [
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, "-"],
  [/[\u2018\u2019\u201a\u201b]/g, "'"],
  [/[\u201c\u201d\u201e\u201f]/g, '"'],
  [/[\u00a0\u2002-\u200a\u202f\u205f\u3000]/g, " "],
];

function asciiPunctuation(s: string): string {
  return TYPOGRAPHIC.reduce((text, [pattern, ascii]) => text.replace(pattern, ascii), s.trim());
}

/** Strictest first: exact, then trailing and surrounding whitespace, then typographic punctuation. */
const NORMALIZERS: Array<(s: string) => string> = [
  (s) => s,
  (s) => s.trimEnd(),
  (s) => s.trim(),
  asciiPunctuation,
];

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

function oldSide(hunkLines: HunkLine[]): string[] {
  return hunkLines.filter((l) => l.op !== "+").map((l) => l.text);
}

function isBlankContext(line: HunkLine | undefined): boolean {
  return line?.op === " " && line.text.trim() === "";
}

/**
 * The hunk's new lines, with each context line taken from the file as it is (its own whitespace and
 * typographic punctuation), not as the patch spelled it.
 */
function newSide(hunkLines: HunkLine[], fileLines: string[], at: number): string[] {
  const out: string[] = [];
  let k = 0;
  for (const line of hunkLines) {
    if (line.op === "+") out.push(line.text);
    else if (line.op === " ") out.push(fileLines[at + k++] ?? line.text);
    else k++;
  }
  return out;
}

/**
 * Applies hunks to a file's content in memory. Throws {@link HunkError} naming the failing hunk and
 * the nearest matching context; the caller writes nothing in that case.
 */
export function applyHunks(content: string, hunks: Hunk[], fileLabel: string): string {
  const trailingNewline = content === "" || content.endsWith("\n");
  const lines = content === "" ? [] : content.replace(/\n$/, "").split("\n");
  const replacements: Array<{ at: number; remove: number; insert: string[]; index: number }> = [];
  let cursor = 0;
  for (const [index, hunk] of hunks.entries()) {
    let hunkLines = hunk.lines;
    let oldLines = oldSide(hunkLines);
    let from = cursor;
    let anchorHit: number | undefined;
    if (hunk.anchor) {
      anchorHit = seek(lines, [hunk.anchor], cursor, false)[0];
      if (anchorHit !== undefined) from = anchorHit + (oldLines[0]?.trim() === hunk.anchor.trim() ? 0 : 1);
    }
    if (oldLines.length === 0) {
      // Insert-only: after its anchor, at its header's line, or (as codex does) at the end of the file.
      // It does not move the cursor, so a later chunk is still sought from where the last one ended.
      if (hunk.anchor && anchorHit === undefined && !hunk.atEnd) {
        throw new HunkError(
          `Hunk ${index + 1} of ${fileLabel} does not apply: its anchor line "@@ ${hunk.anchor}" was not found` +
            `${cursor > 0 ? ` after line ${cursor}` : ""}. Nothing was written. Re-read the file and regenerate the patch.`,
        );
      }
      const at = hunk.atEnd
        ? lines.length
        : anchorHit !== undefined
          ? from
          : hunk.oldStart !== undefined
            ? Math.min(hunk.oldStart, lines.length)
            : lines.length;
      replacements.push({ at, remove: 0, insert: newSide(hunkLines, lines, at), index });
      continue;
    }
    let hits = seek(lines, oldLines, from, hunk.atEnd ?? false);
    // A trailing empty context line stands for the file's final newline (a blank line the model added
    // after the last line); try without it before giving up.
    while (hits.length === 0 && isBlankContext(hunkLines.at(-1)) && oldLines.length > 1) {
      hunkLines = hunkLines.slice(0, -1);
      oldLines = oldSide(hunkLines);
      hits = seek(lines, oldLines, from, hunk.atEnd ?? false);
    }
    if (hits.length === 0) {
      throw new HunkError(
        `Hunk ${index + 1} of ${fileLabel} does not apply: these lines were not found` +
          `${cursor > 0 ? ` after line ${cursor}` : ""}:\n${oldLines.map((l) => `  ${l}`).join("\n")}\n` +
          `Nearest matching context in the file:\n${nearestContext(lines, oldLines)}\n` +
          "Nothing was written. Re-read the file and regenerate the patch against its current content.",
      );
    }
    const target = hunk.oldStart !== undefined ? hunk.oldStart - 1 : from;
    const at = hits.reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
    replacements.push({ at, remove: oldLines.length, insert: newSide(hunkLines, lines, at), index });
    cursor = at + oldLines.length;
  }
  // From the bottom up so earlier positions stay valid; at one position the later hunk goes first, so
  // the earlier hunk's lines end up above it.
  const order = [...replacements].sort((a, b) => b.at - a.at || b.index - a.index);
  for (const r of order) lines.splice(r.at, r.remove, ...r.insert);
  if (lines.length === 0) return "";
  return lines.join("\n") + (trailingNewline ? "\n" : "");
}
