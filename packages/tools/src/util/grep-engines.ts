import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import picomatch from "picomatch";
import { isBinary } from "./text.js";
import { walkFiles } from "./walk.js";

export interface GrepQuery {
  root: string;
  /** Already a regex source (literal patterns are escaped by the caller for the JS engine). */
  pattern: string;
  literal: boolean;
  caseSensitive: boolean;
  include?: string[];
  /** Stop after this many matches (the engine may return limit + 1 to signal more). */
  limit: number;
  signal: AbortSignal;
  /** Confines symlinked files and applies ancestor .gitignore files (see `walkFiles`). */
  workspaceRoot?: string;
  /** Files to leave out (absolute path), e.g. denied by permission rules. */
  skip?: (abs: string) => boolean;
}

export interface GrepMatch {
  file: string;
  line: number;
  text: string;
}

const MAX_FILE_BYTES = 10 * 1024 * 1024;

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Longest line text ripgrep prints (it appends OMITTED); the tool shows at most 500 characters. */
const RG_MAX_COLUMNS = 2000;
const OMITTED = " [... omitted end of long line]";

/**
 * ripgrep with `--null` output (path NUL line:text): robust to colons in paths; honours .gitignore
 * even outside git repos. `--max-columns` bounds each printed line, so one huge minified line costs
 * no memory. No `--max-filesize`: it makes ripgrep stat every file before opening it (50k extra
 * syscalls on a 50k-file tree, ~20% of the search) and ripgrep streams files anyway. No `--json`:
 * it ignores `--max-columns` and costs a JSON.parse per match.
 */
export async function grepWithRipgrep(rg: string, q: GrepQuery): Promise<GrepMatch[]> {
  const args = ["--null", "--line-number", "--no-heading", "--with-filename", "--color", "never"];
  args.push("--max-columns", String(RG_MAX_COLUMNS), "--max-columns-preview");
  args.push("--hidden", "--no-require-git", "--glob", "!.git");
  if (q.literal) args.push("--fixed-strings");
  if (!q.caseSensitive) args.push("--ignore-case");
  for (const glob of q.include ?? []) args.push("--glob", glob);
  args.push("--regexp", q.pattern, "--", q.root);
  const child = spawn(rg, args, { stdio: ["ignore", "pipe", "pipe"] });
  const onAbort = () => child.kill("SIGKILL");
  q.signal.addEventListener("abort", onAbort, { once: true });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  const matches: GrepMatch[] = [];
  try {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
      const nul = line.indexOf("\0");
      const colon = line.indexOf(":", nul + 1);
      if (nul < 0 || colon < 0) continue;
      const file = line.slice(0, nul);
      if (q.skip?.(path.resolve(file))) continue;
      const text = line.slice(colon + 1);
      matches.push({
        file,
        line: Number(line.slice(nul + 1, colon)),
        text: text.endsWith(OMITTED) ? text.slice(0, -OMITTED.length) : text,
      });
      if (matches.length > q.limit) {
        child.kill("SIGKILL");
        break;
      }
    }
    const code = await exited;
    // rg exits 1 for "no matches" and 2 for errors (a bad regex, unreadable files alongside matches).
    if (code === 2 && matches.length === 0 && !q.signal.aborted)
      throw new Error(`ripgrep failed: ${stderr.trim().split("\n").slice(0, 3).join(" ")}`);
    return matches;
  } finally {
    q.signal.removeEventListener("abort", onAbort);
  }
}

/** Pure-JS search used when ripgrep is not installed. */
export async function grepWithJs(q: GrepQuery): Promise<GrepMatch[]> {
  const regex = new RegExp(q.literal ? escapeRegex(q.pattern) : q.pattern, q.caseSensitive ? "" : "i");
  const include = q.include?.length ? picomatch(q.include, { dot: true }) : undefined;
  const matches: GrepMatch[] = [];
  const stat = await fs.stat(q.root);
  const files: AsyncIterable<string> | string[] = stat.isFile()
    ? [q.root]
    : walkFiles(q.root, { signal: q.signal, ...(q.workspaceRoot ? { workspaceRoot: q.workspaceRoot } : {}) });
  for await (const file of files) {
    if (include) {
      const rel = path.relative(q.root, file).split(path.sep).join("/");
      if (!include(rel) && !include(path.basename(file))) continue;
    }
    if (q.skip?.(file)) continue;
    const st = await fs.stat(file).catch(() => undefined);
    if (!st || st.size > MAX_FILE_BYTES) continue;
    const data = await fs.readFile(file).catch(() => undefined);
    if (!data || isBinary(data)) continue;
    const lines = data.toString("utf8").split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      if (!regex.test(lines[i]!)) continue;
      matches.push({ file, line: i + 1, text: lines[i]! });
      if (matches.length > q.limit) return matches;
    }
  }
  return matches;
}
