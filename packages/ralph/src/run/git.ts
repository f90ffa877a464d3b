import { spawn } from "node:child_process";
import path from "node:path";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** git with an argument vector (no shell): story titles and branch names cannot inject commands. */
export function git(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function ok(cwd: string, args: string[]): Promise<string> {
  const r = await git(cwd, args);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

export async function isGitRepo(cwd: string): Promise<boolean> {
  return (await git(cwd, ["rev-parse", "--is-inside-work-tree"]).catch(() => ({ code: 1 }))).code === 0;
}

/** Checks out `branch`, creating it from the current HEAD when it does not exist. */
export async function ensureBranch(cwd: string, branch: string): Promise<void> {
  const current = (await git(cwd, ["symbolic-ref", "--quiet", "--short", "HEAD"])).stdout.trim();
  if (current === branch) return;
  const exists = (await git(cwd, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`])).code === 0;
  await ok(cwd, exists ? ["checkout", "-q", branch] : ["checkout", "-q", "-b", branch]);
}

/** Stages everything and commits; returns the new commit id, or undefined when nothing changed. */
export async function commitAll(cwd: string, message: string): Promise<string | undefined> {
  await ok(cwd, ["add", "-A"]);
  if ((await git(cwd, ["diff", "--cached", "--quiet"])).code === 0) return undefined;
  const hasIdentity = (await git(cwd, ["config", "user.email"])).stdout.trim() !== "";
  const identity = hasIdentity
    ? []
    : ["-c", "user.name=codetether ralph", "-c", "user.email=ralph@codetether.invalid"];
  await ok(cwd, [...identity, "commit", "-q", "--no-verify", "-m", message]);
  return (await ok(cwd, ["rev-parse", "HEAD"])).trim();
}

/** `git log --oneline` of the last `count` commits (empty outside a repository or before the first commit). */
export async function recentLog(cwd: string, count = 10): Promise<string> {
  const r = await git(cwd, ["log", "--oneline", `-${count}`]).catch(() => undefined);
  return r && r.code === 0 ? r.stdout.trim() : "";
}

/** Paths with uncommitted changes (staged, unstaged or untracked), relative to the repository root. */
export async function changedFiles(cwd: string): Promise<string[]> {
  const top = (await ok(cwd, ["rev-parse", "--show-toplevel"])).trim();
  const status = await ok(cwd, ["status", "--porcelain", "-z", "--untracked-files=all"]);
  return status
    .split("\0")
    .filter((entry) => entry.length > 3)
    .map((entry) => path.relative(cwd, path.join(top, entry.slice(3))));
}
