import fs from "node:fs";
import path from "node:path";
import { isInsideAny, realpathLoose } from "../permission/workspace-confinement.js";

/** Instructions, not a data file: anything larger is skipped (and not read into memory). */
const MAX_AGENTS_MD_BYTES = 1024 * 1024;

/** The git root above `cwd`, or undefined outside a repository. */
export function findGitRoot(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface InstructionFile {
  path: string;
  content: string;
}

/**
 * Every `AGENTS.md` from the git root down to `cwd` (outermost first, so nearer files refine
 * broader ones). Outside a git repository only `cwd` is searched.
 */
export function loadAgentsMd(cwd: string): InstructionFile[] {
  const end = path.resolve(cwd);
  const root = findGitRoot(end) ?? end;
  const dirs: string[] = [];
  let dir = end;
  for (;;) {
    dirs.unshift(dir);
    if (dir === root) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const files: InstructionFile[] = [];
  const realRoot = realpathLoose(root);
  for (const d of dirs) {
    const file = path.join(d, "AGENTS.md");
    const content = readInside(file, realRoot);
    if (content?.trim()) files.push({ path: file, content });
  }
  return files;
}

/**
 * AGENTS.md goes into every request to the provider, so it is read through one descriptor whose real path must be
 * inside the repository (a repository's, or a sandboxed bash's, `AGENTS.md -> ~/.ssh/id_rsa` is skipped) and which
 * must be a regular file (O_NONBLOCK: a FIFO planted there is skipped instead of blocking the process).
 */
function readInside(file: string, realRoot: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return undefined; // absent
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_AGENTS_MD_BYTES) return undefined;
    // What the descriptor really is, not what the path names now (it may have been swapped since the open).
    const real = fs.existsSync("/proc/self/fd")
      ? fs.readlinkSync(`/proc/self/fd/${fd}`)
      : fs.realpathSync(file);
    if (!isInsideAny([realRoot], real)) return undefined;
    return fs.readFileSync(fd, "utf8");
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
