import fs from "node:fs";
import path from "node:path";

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
  for (const d of dirs) {
    const file = path.join(d, "AGENTS.md");
    try {
      const content = fs.readFileSync(file, "utf8");
      if (content.trim()) files.push({ path: file, content });
    } catch {
      // absent
    }
  }
  return files;
}
