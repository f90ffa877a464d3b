import fs from "node:fs/promises";
import path from "node:path";
import { git, gitAddAll, gitOk } from "@codetether/core";

export interface Worktree {
  id: string;
  dir: string;
  branch: string;
  /**
   * The worktree's admin git dir (`<git-common-dir>/worktrees/<name>`), read when it was created. codetether's
   * git runs there with `GIT_DIR`/`GIT_WORK_TREE` set to it, never by the worktree's `.git` file: the sandboxed
   * sub-agent can rewrite that file to point at a git dir whose config names a filter driver.
   */
  gitDir?: string;
}

export interface MergeOutcome {
  id: string;
  branch: string;
  merged: boolean;
  /** Files changed by the sub-agent (relative to the base commit). */
  filesChanged: string[];
  /** Conflicted files when the merge was aborted. */
  conflicts: string[];
  error?: string;
}

const SAFE_ID = /^[a-z0-9][a-z0-9-]{0,60}$/;

/**
 * One git worktree per sub-agent, on its own branch from HEAD, under the repository's git dir so
 * nothing appears in the user's tree. `cleanup()` removes every worktree and branch it created.
 */
export class WorktreeManager {
  private readonly created = new Map<string, Worktree>();
  private baseDir = "";

  private constructor(
    readonly repoRoot: string,
    readonly runId: string,
  ) {}

  static async open(cwd: string, runId: string): Promise<WorktreeManager> {
    const top = await git(cwd, ["rev-parse", "--show-toplevel"]);
    if (top.code !== 0)
      throw new Error(
        `--worktrees needs a git repository, but ${cwd} is not inside one. Run \`git init\` first.`,
      );
    const head = await git(cwd, ["rev-parse", "--verify", "HEAD"]);
    if (head.code !== 0)
      throw new Error(
        `--worktrees needs at least one commit in ${top.stdout.trim()}; commit something first.`,
      );
    const manager = new WorktreeManager(top.stdout.trim(), runId);
    const common = (await gitOk(manager.repoRoot, ["rev-parse", "--git-common-dir"])).trim();
    manager.baseDir = path.resolve(manager.repoRoot, common, "codetether-worktrees", runId);
    return manager;
  }

  async create(id: string): Promise<Worktree> {
    if (!SAFE_ID.test(id)) throw new Error(`Unsafe worktree id "${id}".`);
    const worktree = { id, dir: path.join(this.baseDir, id), branch: `codetether/swarm-${this.runId}/${id}` };
    await fs.mkdir(this.baseDir, { recursive: true });
    this.created.set(id, worktree);
    await gitOk(this.repoRoot, ["worktree", "add", "-q", "-b", worktree.branch, worktree.dir, "HEAD"]);
    const gitDir = (await gitOk(worktree.dir, ["rev-parse", "--absolute-git-dir"])).trim();
    const created: Worktree = { ...worktree, gitDir };
    this.created.set(id, created);
    return created;
  }

  /** How codetether's git reaches a worktree: by its recorded admin dir, not by its (writable) `.git` file. */
  private gitEnv(worktree: Worktree): { env: Record<string, string> } {
    return { env: worktree.gitDir ? { GIT_DIR: worktree.gitDir, GIT_WORK_TREE: worktree.dir } : {} };
  }

  private async identityArgs(cwd: string, options: { env?: Record<string, string> } = {}): Promise<string[]> {
    const email = await git(cwd, ["config", "user.email"], options);
    return email.stdout.trim()
      ? []
      : ["-c", "user.name=codetether swarm", "-c", "user.email=swarm@codetether.invalid"];
  }

  /** Commits whatever the sub-agent left in its worktree. Returns false when nothing changed. */
  async commit(worktree: Worktree, message: string): Promise<boolean> {
    const options = this.gitEnv(this.created.get(worktree.id) ?? worktree);
    await gitAddAll(worktree.dir, options);
    const staged = await git(worktree.dir, ["diff", "--cached", "--quiet"], options);
    if (staged.code === 0) return false;
    await gitOk(
      worktree.dir,
      [...(await this.identityArgs(worktree.dir, options)), "commit", "-q", "--no-verify", "-m", message],
      options,
    );
    return true;
  }

  /** Merges a sub-agent's branch into the current branch; on conflict aborts and lists the files. */
  async merge(worktree: Worktree): Promise<MergeOutcome> {
    const outcome: MergeOutcome = {
      id: worktree.id,
      branch: worktree.branch,
      merged: false,
      filesChanged: [],
      conflicts: [],
    };
    const changed = await git(this.repoRoot, ["diff", "--name-only", `HEAD...${worktree.branch}`]);
    outcome.filesChanged = changed.stdout.split("\n").filter(Boolean);
    if (outcome.filesChanged.length === 0) {
      outcome.merged = true;
      return outcome;
    }
    const merge = await git(this.repoRoot, [
      ...(await this.identityArgs(this.repoRoot)),
      "merge",
      "--no-ff",
      "--no-edit",
      "-m",
      `swarm: merge subtask ${worktree.id}`,
      worktree.branch,
    ]);
    if (merge.code === 0) {
      outcome.merged = true;
      return outcome;
    }
    const conflicts = await git(this.repoRoot, ["diff", "--name-only", "--diff-filter=U"]);
    outcome.conflicts = conflicts.stdout.split("\n").filter(Boolean);
    outcome.error = (merge.stdout + merge.stderr).trim().split("\n").slice(-3).join(" ");
    await git(this.repoRoot, ["merge", "--abort"]);
    return outcome;
  }

  /** Removes every worktree and branch this manager created. Safe to call more than once. */
  async cleanup(): Promise<void> {
    for (const worktree of this.created.values()) {
      await git(this.repoRoot, ["worktree", "remove", "--force", worktree.dir]);
      await git(this.repoRoot, ["branch", "-D", worktree.branch]);
    }
    this.created.clear();
    if (this.baseDir) await fs.rm(this.baseDir, { recursive: true, force: true });
    await git(this.repoRoot, ["worktree", "prune"]);
  }

  get active(): Worktree[] {
    return [...this.created.values()];
  }
}
