import fs from "node:fs";
import path from "node:path";

/** A protected path found below a writable root (not the root's own `.git`, `codetether.toml`, `.codetether`). */
export interface FoundProtected {
  path: string;
  /** A nested repository's git dir, or something to mount read-only as a whole. */
  kind: "git-dir" | "read-only";
}

// Bounds, so a huge tree costs each sandboxed command little: nested repositories and project config live near
// the top; dependency and build folders hold neither that anything outside the sandbox runs.
const MAX_DEPTH = 6;
const MAX_DIRS = 4000;
const SKIPPED = new Set(["node_modules", ".venv", "target", "dist", "build", ".cache"]);

/**
 * Nested repositories (`.git` dirs and `gitdir:` files), `codetether.toml` files and `.codetether/` dirs in
 * the subfolders of `root`, breadth first within the bounds above. Symlinks are not followed.
 */
export function findProtectedBelow(root: string): FoundProtected[] {
  const found: FoundProtected[] = [];
  let queue = [root];
  let visited = 0;
  for (let depth = 0; depth < MAX_DEPTH && queue.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of queue) {
      if (++visited > MAX_DIRS) return found;
      for (const entry of readDir(dir)) {
        const full = path.join(dir, entry.name);
        if (depth > 0 && entry.name === ".git") {
          found.push({ path: full, kind: entry.isDirectory() ? "git-dir" : "read-only" });
        } else if (depth > 0 && (entry.name === "codetether.toml" || entry.name === ".codetether")) {
          found.push({ path: full, kind: "read-only" });
        } else if (entry.isDirectory() && entry.name !== ".git" && !SKIPPED.has(entry.name)) {
          next.push(full);
        }
      }
    }
    queue = next;
  }
  return found;
}

/** The git dirs (folders holding `HEAD`) below a `modules` folder; a submodule's name may contain slashes. */
export function gitDirsUnder(modules: string, depth = 0): string[] {
  if (depth > MAX_DEPTH) return [];
  const dirs: string[] = [];
  for (const entry of readDir(modules)) {
    if (!entry.isDirectory()) continue;
    const full = path.join(modules, entry.name);
    if (fs.existsSync(path.join(full, "HEAD"))) dirs.push(full);
    else dirs.push(...gitDirsUnder(full, depth + 1));
  }
  return dirs;
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
