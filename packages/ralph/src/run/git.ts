import path from "node:path";
import { git, gitAddAll, gitOk } from "@codetether/core";

export async function isGitRepo(cwd: string): Promise<boolean> {
  return (await git(cwd, ["rev-parse", "--is-inside-work-tree"]).catch(() => ({ code: 1 }))).code === 0;
}

/** Checks out `branch`, creating it from the current HEAD when it does not exist. */
export async function ensureBranch(cwd: string, branch: string): Promise<void> {
  const current = (await git(cwd, ["symbolic-ref", "--quiet", "--short", "HEAD"])).stdout.trim();
  if (current === branch) return;
  const exists = (await git(cwd, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`])).code === 0;
  await gitOk(cwd, exists ? ["checkout", "-q", branch] : ["checkout", "-q", "-b", branch]);
}

/** Stages everything and commits; returns the new commit id, or undefined when nothing changed. */
export async function commitAll(cwd: string, message: string): Promise<string | undefined> {
  await gitAddAll(cwd);
  if ((await git(cwd, ["diff", "--cached", "--quiet"])).code === 0) return undefined;
  const hasIdentity = (await git(cwd, ["config", "user.email"])).stdout.trim() !== "";
  const identity = hasIdentity
    ? []
    : ["-c", "user.name=codetether ralph", "-c", "user.email=ralph@codetether.invalid"];
  await gitOk(cwd, [...identity, "commit", "-q", "--no-verify", "-m", message]);
  return (await gitOk(cwd, ["rev-parse", "HEAD"])).trim();
}

/** `git log --oneline` of the last `count` commits (empty outside a repository or before the first commit). */
export async function recentLog(cwd: string, count = 10): Promise<string> {
  const r = await git(cwd, ["log", "--oneline", `-${count}`]).catch(() => undefined);
  return r && r.code === 0 ? r.stdout.trim() : "";
}

/** The repository's top-level directory. */
export async function repoTop(cwd: string): Promise<string> {
  return (await gitOk(cwd, ["rev-parse", "--show-toplevel"])).trim();
}

/** Paths with uncommitted changes (staged, unstaged or untracked), relative to the repository root. */
export async function changedFiles(cwd: string): Promise<string[]> {
  const top = await repoTop(cwd);
  const status = await gitOk(cwd, ["status", "--porcelain", "-z", "--untracked-files=all"]);
  return status
    .split("\0")
    .filter((entry) => entry.length > 3)
    .map((entry) => path.relative(cwd, path.join(top, entry.slice(3))));
}
