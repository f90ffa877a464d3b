import fs from "node:fs";
import path from "node:path";

/**
 * Paths inside a writable root that a sandboxed command must not change, because code outside the sandbox acts
 * on them: git runs `.git/hooks/*` and programs named in `.git/config` (fsmonitor, filters, pagers), and
 * codetether loads `codetether.toml` / `.codetether/` as project config, skills and agents.
 *
 * Each is bind-mounted read-only over itself. A path that does not exist yet gets an empty placeholder
 * directory as mount point (git never stages an empty directory, and a directory cannot be read as
 * `codetether.toml`), removed again when the last command of this process that mounted it is disposed.
 * `.git` is also made a mount point of its own, so it cannot be renamed away and recreated.
 */
export interface ProtectedMounts {
  /** bwrap arguments; must come after the writable `--bind` of the root. */
  args: string[];
  /** Drops this command's hold on placeholders; the last holder removes them if they are still empty. */
  release(): void;
}

const PROJECT_CONFIG = ["codetether.toml", ".codetether"];

/** Placeholder path → number of live sandboxed commands of this process that mount it. */
const placeholders = new Map<string, number>();

export function protectWritableRoot(root: string): ProtectedMounts {
  const args: string[] = [];
  const held: string[] = [];
  const readOnly = (p: string) => args.push("--ro-bind", p, p);
  const placeholder = (p: string) => {
    try {
      fs.mkdirSync(p);
    } catch (err) {
      // Someone created it meanwhile: protect whatever is there now; otherwise nothing can be created here.
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return readOnly(p);
      return;
    }
    placeholders.set(p, (placeholders.get(p) ?? 0) + 1);
    held.push(p);
    readOnly(p);
  };
  const hold = (p: string) => {
    const users = placeholders.get(p);
    if (users === undefined) return false;
    placeholders.set(p, users + 1);
    held.push(p);
    readOnly(p);
    return true;
  };

  const gitPath = path.join(root, ".git");
  const git = lstat(gitPath);
  if (git?.isDirectory() && !placeholders.has(gitPath)) {
    args.push("--bind", gitPath, gitPath);
    const hooks = path.join(gitPath, "hooks");
    if (!lstat(hooks)) fs.mkdirSync(hooks, { recursive: true });
    readOnly(hooks);
    if (lstat(path.join(gitPath, "config"))) readOnly(path.join(gitPath, "config"));
  } else if (git && !placeholders.has(gitPath)) {
    readOnly(gitPath); // a linked worktree's `gitdir:` file, or a symlink
  } else if (!hold(gitPath)) {
    placeholder(gitPath);
  }
  for (const name of PROJECT_CONFIG) {
    const p = path.join(root, name);
    if (hold(p)) continue;
    if (lstat(p)) readOnly(p);
    else placeholder(p);
  }

  let released = false;
  return {
    args,
    release() {
      if (released) return;
      released = true;
      for (const p of held) {
        const users = (placeholders.get(p) ?? 1) - 1;
        if (users > 0) {
          placeholders.set(p, users);
          continue;
        }
        placeholders.delete(p);
        try {
          fs.rmdirSync(p); // only while still empty: never delete what something else put there
        } catch {
          // not empty or already gone
        }
      }
    },
  };
}

function lstat(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
