import fs from "node:fs/promises";
import path from "node:path";
import { isInside, realpathLoose } from "@codetether/core";
import ignore, { type Ignore } from "ignore";

/** Directories that are never searched: VCS internals. */
const ALWAYS_SKIPPED = new Set([".git", ".hg", ".svn"]);

/** Vendored and build output directories `codesearch` skips even when they are not gitignored. */
export const VENDORED_DIRS = new Set([
  "node_modules",
  "dist",
  "build",
  "target",
  ".next",
  "__pycache__",
  ".venv",
  "venv",
  "vendor",
  "coverage",
  ".turbo",
]);

export interface WalkOptions {
  /** Directory names to skip in addition to VCS dirs. */
  skipDirs?: Set<string>;
  /** Respect .gitignore files (default true). */
  gitignore?: boolean;
  signal?: AbortSignal;
  /**
   * Workspace root: .gitignore files of directories between it and `root` apply too (like git), and
   * symlinked files whose target lies outside it are skipped, so a search cannot read through a link.
   */
  workspaceRoot?: string;
}

interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

async function readIgnore(dir: string): Promise<Ignore | undefined> {
  const rules = ignore();
  let found = false;
  for (const name of [".gitignore", ".ignore"]) {
    try {
      rules.add(await fs.readFile(path.join(dir, name), "utf8"));
      found = true;
    } catch {
      // no ignore file here
    }
  }
  return found ? rules : undefined;
}

function ignored(layers: IgnoreLayer[], abs: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = path.relative(layer.base, abs).split(path.sep).join("/");
    if (!rel || rel.startsWith("..")) continue;
    if (layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/**
 * Yields files under `root` (absolute paths, sorted per directory), honouring nested
 * `.gitignore`/`.ignore` files like git does. Symlinked directories are not followed.
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  const useIgnore = options.gitignore !== false;
  const inherited: IgnoreLayer[] = [];
  if (useIgnore && options.workspaceRoot) {
    const rel = path.relative(options.workspaceRoot, root);
    if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) {
      let dir = options.workspaceRoot;
      for (const part of rel.split(path.sep).slice(0, -1)) {
        const own = await readIgnore(dir);
        if (own) inherited.push({ base: dir, rules: own });
        dir = path.join(dir, part);
      }
      const own = await readIgnore(dir);
      if (own) inherited.push({ base: dir, rules: own });
    }
  }
  const realWorkspace = options.workspaceRoot ? realpathLoose(options.workspaceRoot) : undefined;
  const stack: Array<{ dir: string; layers: IgnoreLayer[] }> = [{ dir: root, layers: inherited }];
  while (stack.length) {
    if (options.signal?.aborted) return;
    const { dir, layers: parentLayers } = stack.pop()!;
    let layers = parentLayers;
    if (useIgnore) {
      const own = await readIgnore(dir);
      if (own) layers = [...parentLayers, { base: dir, rules: own }];
    }
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(entry.name) || options.skipDirs?.has(entry.name)) continue;
        if (useIgnore && ignored(layers, abs, true)) continue;
        subdirs.push(abs);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (useIgnore && ignored(layers, abs, false)) continue;
        if (entry.isSymbolicLink()) {
          const st = await fs.stat(abs).catch(() => undefined);
          if (!st?.isFile()) continue;
          if (realWorkspace && !isInside(realWorkspace, abs)) continue;
        }
        yield abs;
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i]!, layers });
  }
}
