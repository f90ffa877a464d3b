/** Lines `read` returns when no limit is given. */
export const READ_DEFAULT_LIMIT = 2000;
/** Longer lines are cut so one minified line cannot flood the context. */
const MAX_LINE = 2000;

/** What `read` puts in its result metadata (beside the path). */
export interface ReadWindowStats {
  totalLines: number;
  readLines: number;
  /** Lines remain after the window. */
  truncated: boolean;
}

export type ReadWindow = { ok: true; output: string; stats: ReadWindowStats } | { ok: false; error: string };

/**
 * The `read` tool's output for `lines[offset-1 .. offset-1+limit)`: right-aligned 1-based line numbers, `| `, the
 * line (cut at 2000 characters), and a footer saying how to continue when lines remain. `name` is how the file
 * is shown in the error for an offset past the end. Shared by every `read` (local disk, editor buffers over ACP).
 */
export function formatReadWindow(
  lines: string[],
  name: string,
  offset = 1,
  limit = READ_DEFAULT_LIMIT,
): ReadWindow {
  if (lines.length > 0 && offset > lines.length)
    return {
      ok: false,
      error: `offset ${offset} is past the end of ${name}, which has ${lines.length} lines.`,
    };
  const slice = lines.slice(offset - 1, offset - 1 + limit);
  const width = String(offset - 1 + slice.length).length;
  const body = slice
    .map((line, i) => {
      const text = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… [line cut]` : line;
      return `${String(offset + i).padStart(Math.max(width, 4))}| ${text}`;
    })
    .join("\n");
  const last = offset - 1 + slice.length;
  const truncated = last < lines.length;
  const footer =
    lines.length === 0
      ? "(empty file)"
      : truncated
        ? `\n\n(lines ${offset}-${last} of ${lines.length}; continue with offset ${last + 1})`
        : "";
  return {
    ok: true,
    output: body + footer,
    stats: { totalLines: lines.length, readLines: slice.length, truncated },
  };
}
