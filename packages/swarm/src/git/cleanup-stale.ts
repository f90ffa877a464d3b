import fs from "node:fs/promises";
import path from "node:path";
import { git, gitOk } from "@codetether/core";

export interface StaleCleanup {
  worktrees: string[];
  branches: string[];
}

/**
 * Removes swarm worktrees and `codetether/swarm-*` branches left by a run that was killed before its
 * own cleanup (e.g. SIGKILL). Do not call while a swarm runs in the same repository.
 */
export async function cleanupSwarmWorktrees(
  cwd: string,
  options: { dryRun?: boolean } = {},
): Promise<StaleCleanup> {
  const root = (await gitOk(cwd, ["rev-parse", "--show-toplevel"])).trim();
  const common = path.resolve(root, (await gitOk(root, ["rev-parse", "--git-common-dir"])).trim());
  const base = path.join(common, "codetether-worktrees");
  const listing = await gitOk(root, ["worktree", "list", "--porcelain"]);
  const worktrees = listing
    .split("\n")
    .filter((line) => line.startsWith("worktree "))
    .map((line) => line.slice("worktree ".length))
    .filter((dir) => path.resolve(dir).startsWith(`${base}${path.sep}`));
  const branches = (
    await gitOk(root, ["branch", "--list", "--format=%(refname:short)", "codetether/swarm-*"])
  )
    .split("\n")
    .filter(Boolean);
  if (!options.dryRun) {
    for (const dir of worktrees) await git(root, ["worktree", "remove", "--force", dir]);
    for (const branch of branches) await git(root, ["branch", "-D", branch]);
    await fs.rm(base, { recursive: true, force: true });
    await git(root, ["worktree", "prune"]);
  }
  return { worktrees, branches };
}
