import fs from "node:fs";
import path from "node:path";
import { findProtectedBelow, gitDirsUnder } from "./protected-scan.js";

/**
 * Paths inside a writable root that a sandboxed command must not change, because code outside the sandbox acts
 * on them: git runs hooks and the programs named in a git dir's config and attributes (fsmonitor, filters,
 * pagers) and follows its `commondir` — for the repository itself, its linked worktrees, its submodules and any
 * nested repository — and codetether loads `codetether.toml` / `.codetether/` (in any folder it is started
 * from) as project config, commands, agents and skills.
 *
 * Each is bind-mounted read-only over itself. A path of the root's own repository that does not exist yet gets
 * a harmless placeholder as mount point — an empty directory (git never stages one, and a directory cannot be
 * read as `codetether.toml`), an empty `config`, a `commondir` naming the git dir itself — removed again when
 * the last command of this process that mounted it is disposed. `.git` is also made a mount point of its own, so
 * it cannot be renamed away and recreated.
 */
export interface ProtectedMounts {
  /** bwrap arguments; must come after the writable `--bind` of the root. */
  args: string[];
  /** Drops this command's hold on placeholders; the last holder removes them if they are still unchanged. */
  release(): void;
}

const PROJECT_CONFIG = ["codetether.toml", ".codetether"];

/** Placeholder path → live sandboxed commands of this process that mount it, and the file content (none: a dir). */
const placeholders = new Map<string, { users: number; content?: string }>();

export function protectWritableRoot(root: string): ProtectedMounts {
  const args: string[] = [];
  const held: string[] = [];
  const mounted = new Set<string>();
  const readOnly = (p: string) => {
    if (mounted.has(p)) return;
    mounted.add(p);
    args.push("--ro-bind", p, p);
  };
  const hold = (p: string) => {
    const entry = placeholders.get(p);
    if (!entry) return false;
    entry.users++;
    held.push(p);
    readOnly(p);
    return true;
  };
  /** Protects `p` whether or not it exists: what is there, else a placeholder (`content`: a file, else a dir). */
  const protect = (p: string, content?: string) => {
    if (hold(p)) return;
    if (lstat(p)) return readOnly(p);
    try {
      if (content === undefined) fs.mkdirSync(p);
      else fs.writeFileSync(p, content, { flag: "wx" });
    } catch (err) {
      // Someone created it meanwhile: protect whatever is there now; otherwise nothing can be created here.
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return readOnly(p);
      return;
    }
    placeholders.set(p, { users: 1, ...(content === undefined ? {} : { content }) });
    held.push(p);
    readOnly(p);
  };
  /** A directory git would create itself anyway (hooks, info): made real if absent, then mounted read-only. */
  const protectDir = (p: string) => {
    if (!lstat(p)) {
      try {
        fs.mkdirSync(p, { recursive: true });
      } catch {
        return; // e.g. a read-only git dir: nothing can be created there either
      }
    }
    readOnly(p);
  };
  /** Everything git runs or follows from one git dir. */
  const protectGitDir = (dir: string) => {
    protectDir(path.join(dir, "hooks"));
    protectDir(path.join(dir, "info"));
    protect(path.join(dir, "config"), "");
    protect(path.join(dir, "commondir"), ".\n"); // "." = this git dir: the same as no commondir
    if (lstat(path.join(dir, "config.worktree"))) readOnly(path.join(dir, "config.worktree"));
    if (lstat(path.join(dir, "worktrees"))) readOnly(path.join(dir, "worktrees"));
    for (const sub of gitDirsUnder(path.join(dir, "modules"))) protectGitDir(sub);
  };

  const gitPath = path.join(root, ".git");
  const git = lstat(gitPath);
  if (git?.isDirectory() && !placeholders.has(gitPath)) {
    args.push("--bind", gitPath, gitPath);
    protectGitDir(gitPath);
  } else if (git && !placeholders.has(gitPath)) {
    readOnly(gitPath); // a linked worktree's `gitdir:` file, or a symlink
  } else {
    protect(gitPath);
  }
  for (const name of PROJECT_CONFIG) protect(path.join(root, name));
  // Nested repositories and project config in subfolders: the existing ones (new ones need no mount point:
  // the file tools refuse them, and codetether's own git does not descend into nested repositories).
  for (const found of findProtectedBelow(root)) {
    if (found.kind === "git-dir") {
      args.push("--bind", found.path, found.path);
      protectGitDir(found.path);
    } else readOnly(found.path);
  }

  let released = false;
  return {
    args,
    release() {
      if (released) return;
      released = true;
      for (const p of held) {
        const entry = placeholders.get(p);
        if (entry && --entry.users > 0) continue;
        placeholders.delete(p);
        removeIfUnchanged(p, entry?.content);
      }
    },
  };
}

/** Removes a placeholder only while it is as we left it: never delete what something else put there. */
function removeIfUnchanged(p: string, content: string | undefined): void {
  try {
    if (content === undefined) fs.rmdirSync(p);
    else if (fs.readFileSync(p, "utf8") === content) fs.unlinkSync(p);
  } catch {
    // not empty, changed, or already gone
  }
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
