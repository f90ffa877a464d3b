import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface GitOptions {
  /** Extra environment, e.g. `GIT_INDEX_FILE` to stage into a private index. */
  env?: Record<string, string>;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

let hookFolders: string[] = [];

/**
 * Folders whose repository hooks and fsmonitor codetether's own git may run (the user config's
 * `git.run_hooks_in`; never a project's `codetether.toml`, which the repository itself controls). Everywhere
 * else codetether's git runs no hook and no fsmonitor: a model's command could have planted them.
 */
export function allowGitHooksIn(folders: readonly string[]): void {
  hookFolders = folders.map((folder) => realOrResolved(folder));
}

/**
 * `-c` options that keep repository-controlled programs from running: hooks and fsmonitor (unless trusted), and
 * always git's descent into nested repositories and submodules (`status`, `diff`, `commit`, `checkout`…),
 * where their own config, which a sandboxed command could have written, may name a filter driver.
 */
export function gitSafetyArgs(cwd: string): string[] {
  const nested = ["-c", "diff.ignoreSubmodules=all"];
  const real = realOrResolved(cwd);
  if (hookFolders.some((folder) => real === folder || real.startsWith(`${folder}${path.sep}`))) return nested;
  return ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", ...nested];
}

function realOrResolved(p: string): string {
  const resolved = path.resolve(p);
  try {
    return fs.realpathSync(resolved);
  } catch {
    return resolved;
  }
}

/**
 * Runs git with an argument vector (never a shell), so names from a model or a story title cannot inject
 * commands. Prompts are off (`GIT_TERMINAL_PROMPT=0`) and messages are in English (`LC_ALL=C`). Not abortable on
 * purpose: cleanup must finish even when a run was cancelled. Rejects only when git cannot be started.
 * Repository hooks and fsmonitor never run (see {@link allowGitHooksIn}).
 */
export function git(cwd: string, args: string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...gitSafetyArgs(cwd), ...args], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
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

/** Like {@link git} but resolves to stdout, and throws with git's message on a non-zero exit. */
export async function gitOk(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  const result = await git(cwd, args, options);
  if (result.code !== 0)
    throw new Error(
      `git ${args.join(" ")} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`,
    );
  return result.stdout;
}

/**
 * `git add -A` of the whole tree, except the gitlinks (nested repositories, submodules) already in the index:
 * comparing one would run `git status` inside it, where its own config — which a sandboxed command could have
 * written — may name a filter driver. Nested repositories' changes are theirs to commit.
 */
export async function gitAddAll(cwd: string, options: GitOptions = {}): Promise<void> {
  const staged = await gitOk(cwd, ["ls-files", "-z", "--stage", "--full-name"], options);
  const gitlinks = staged
    .split("\0")
    .filter((line) => line.startsWith("160000 "))
    .map((line) => line.slice(line.indexOf("\t") + 1));
  const excluded = gitlinks.map((p) => `:(top,exclude,literal)${p}`);
  await gitOk(cwd, ["add", "-A", "--", ":/", ...excluded], options);
}
