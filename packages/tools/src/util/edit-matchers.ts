import { editDistance } from "@codetether/core";

/**
 * A matcher proposes substrings of `content` that the model meant by `find`. They are tried from
 * strictest to loosest; the first that locates the text decides (and an ambiguous one stops the search).
 */
export type Matcher = (content: string, find: string) => string[];

function lineSpans(content: string): { lines: string[]; starts: number[] } {
  const lines = content.split("\n");
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return { lines, starts };
}

function searchLines(find: string): string[] {
  const lines = find.split("\n");
  if (lines.length > 1 && lines[lines.length - 1]!.trim() === "") lines.pop();
  return lines;
}

/** The text of lines [from, from+count) of content, without the final newline. */
function block(content: string, spans: ReturnType<typeof lineSpans>, from: number, count: number): string {
  const start = spans.starts[from]!;
  const last = from + count - 1;
  const end = spans.starts[last]! + spans.lines[last]!.length;
  return content.slice(start, end);
}

/** Candidates where `same(contentLine, searchLine)` holds for a whole window of lines. */
function windowMatches(content: string, find: string, same: (a: string, b: string) => boolean): string[] {
  const spans = lineSpans(content);
  const wanted = searchLines(find);
  const out: string[] = [];
  for (let i = 0; i + wanted.length <= spans.lines.length; i++) {
    if (wanted.every((w, j) => same(spans.lines[i + j]!, w)))
      out.push(block(content, spans, i, wanted.length));
  }
  return out;
}

export const exactMatcher: Matcher = (content, find) => (content.includes(find) ? [find] : []);

export const lineTrimmedMatcher: Matcher = (content, find) =>
  windowMatches(content, find, (a, b) => a.trim() === b.trim());

const normalizeWs = (s: string) => s.replace(/\s+/g, " ").trim();

export const whitespaceNormalizedMatcher: Matcher = (content, find) =>
  windowMatches(content, find, (a, b) => normalizeWs(a) === normalizeWs(b));

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)![0].length);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() ? l.slice(min) : ""));
}

export const indentationFlexibleMatcher: Matcher = (content, find) => {
  const spans = lineSpans(content);
  const wanted = dedent(searchLines(find)).join("\n");
  const n = searchLines(find).length;
  const out: string[] = [];
  for (let i = 0; i + n <= spans.lines.length; i++) {
    if (dedent(spans.lines.slice(i, i + n)).join("\n") === wanted) out.push(block(content, spans, i, n));
  }
  return out;
};

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  '"': '"',
  "'": "'",
  "`": "`",
  "\\": "\\",
  $: "$",
};

/** Escape sequences a model wrote literally (`\n` as backslash + n) turned into the characters they mean. */
export function unescapeLiteral(text: string): string {
  return text.replace(/\\([ntr"'`\\$])/g, (_, c: string) => ESCAPES[c] ?? c);
}

/**
 * `oldString` double-escaped (a JSON string inside a JSON string): `\n`, `\t`, `\"` written as two
 * characters where the file has a newline, a tab, a quote. Only tried when nothing stricter matched.
 */
export const escapeNormalizedMatcher: Matcher = (content, find) => {
  const unescaped = unescapeLiteral(find);
  if (unescaped === find) return [];
  if (content.includes(unescaped)) return [unescaped];
  return lineTrimmedMatcher(content, unescaped);
};

/** Similarity in [0, 1] from the edit distance of two trimmed lines. */
function similarity(a: string, b: string): number {
  const x = a.trim();
  const y = b.trim();
  const max = Math.max(x.length, y.length);
  return max === 0 ? 1 : 1 - editDistance(x, y) / max;
}

const BLOCK_SIMILARITY = 0.5;

/**
 * First and last lines must match (trimmed) as anchors. When exactly one block in the file has those
 * anchors, it is the block the model meant, whatever its middle says (the model misremembered the
 * body); when several do, only those whose middle lines are similar on average count, and more than
 * one is ambiguous. Needs at least 3 lines, so the anchors carry real information.
 */
export const blockAnchorMatcher: Matcher = (content, find) => {
  const wanted = searchLines(find);
  if (wanted.length < 3) return [];
  const spans = lineSpans(content);
  const first = wanted[0]!.trim();
  const last = wanted[wanted.length - 1]!.trim();
  const anchored: Array<{ from: number; to: number; score: number }> = [];
  for (let i = 0; i < spans.lines.length; i++) {
    if (spans.lines[i]!.trim() !== first) continue;
    for (let j = i + 2; j < spans.lines.length; j++) {
      if (spans.lines[j]!.trim() !== last) continue;
      const middle = spans.lines.slice(i + 1, j);
      const wantedMiddle = wanted.slice(1, -1);
      const count = Math.max(middle.length, wantedMiddle.length);
      let total = 0;
      for (let k = 0; k < count; k++) total += similarity(middle[k] ?? "", wantedMiddle[k] ?? "");
      anchored.push({ from: i, to: j, score: count === 0 ? 1 : total / count });
      break;
    }
  }
  const chosen = anchored.length === 1 ? anchored : anchored.filter((a) => a.score >= BLOCK_SIMILARITY);
  return chosen.map((a) => block(content, spans, a.from, a.to - a.from + 1));
};

export const trimmedBoundaryMatcher: Matcher = (content, find) => {
  const trimmed = find.trim();
  return trimmed !== find && trimmed && content.includes(trimmed) ? [trimmed] : [];
};

export const MATCHERS: Array<{ name: string; match: Matcher }> = [
  { name: "exact", match: exactMatcher },
  { name: "line-trimmed", match: lineTrimmedMatcher },
  { name: "whitespace-normalized", match: whitespaceNormalizedMatcher },
  { name: "indentation-flexible", match: indentationFlexibleMatcher },
  { name: "escape-normalized", match: escapeNormalizedMatcher },
  { name: "block-anchor", match: blockAnchorMatcher },
  { name: "trimmed-boundary", match: trimmedBoundaryMatcher },
];

function countOccurrences(content: string, search: string): number {
  let count = 0;
  for (let at = content.indexOf(search); at !== -1; at = content.indexOf(search, at + search.length)) count++;
  return count;
}

export type ReplaceOutcome =
  | { ok: true; content: string; matcher: string; replacements: number }
  | { ok: false; reason: "not_found" | "ambiguous"; matches?: number; matcher?: string };

/** Replaces `oldString` in `content` using the first matcher that locates it; never guesses. */
export function replaceInContent(
  content: string,
  oldString: string,
  newString: string,
  replaceAll: boolean,
): ReplaceOutcome {
  for (const { name, match } of MATCHERS) {
    const candidates = [...new Set(match(content, oldString))];
    if (candidates.length === 0) continue;
    const total = candidates.reduce((n, c) => n + countOccurrences(content, c), 0);
    // An oldString written with literal escapes had its newString written the same way.
    const replacement = name === "escape-normalized" ? unescapeLiteral(newString) : newString;
    if (replaceAll) {
      let next = content;
      for (const c of candidates) next = next.split(c).join(replacement);
      return { ok: true, content: next, matcher: name, replacements: total };
    }
    if (total !== 1) return { ok: false, reason: "ambiguous", matches: total, matcher: name };
    const search = candidates[0]!;
    const at = content.indexOf(search);
    return {
      ok: true,
      content: content.slice(0, at) + replacement + content.slice(at + search.length),
      matcher: name,
      replacements: 1,
    };
  }
  return { ok: false, reason: "not_found" };
}
