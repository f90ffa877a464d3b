import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { git, gitAddAll, gitOk } from "@codetether/core";

/** Characters of a discarded attempt's patch kept in the progress log. */
const MAX_PATCH_CHARS = 20_000;

/**
 * Runs `fn` with a private index (`GIT_INDEX_FILE`), so staging the working tree never touches the user's
 * index or what they have staged.
 */
async function withPrivateIndex<T>(fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const indexFile = path.join(os.tmpdir(), `ct-ralph-index-${process.pid}-${randomBytes(6).toString("hex")}`);
  try {
    return await fn({ GIT_INDEX_FILE: indexFile });
  } finally {
    await fs.rm(indexFile, { force: true });
  }
}

/**
 * The whole working tree (tracked and untracked, minus ignored files) as a git tree id, written to the object
 * store without a commit. Taken before each attempt so a failed one can be undone exactly.
 */
export async function snapshotWorktree(top: string): Promise<string> {
  return withPrivateIndex(async (env) => {
    // Seeding from HEAD makes `add -A` hash only what changed.
    await git(top, ["read-tree", "HEAD"], { env });
    await gitAddAll(top, { env });
    return (await gitOk(top, ["write-tree"], { env })).trim();
  });
}

/**
 * Puts back the files an attempt changed since `baseline` (a {@link snapshotWorktree} id): files it added are
 * removed, files it changed or deleted are restored. Nothing else is touched — not the user's index, not files the
 * attempt left alone, not ignored files, not `keep` (absolute paths) — and no `git reset`. Returns the discarded changes as a patch (clipped),
 * or undefined when the attempt changed nothing.
 */
export async function discardAttempt(
  top: string,
  baseline: string,
  keep: readonly string[] = [],
): Promise<string | undefined> {
  const current = await snapshotWorktree(top);
  if (current === baseline) return undefined;
  // Files the loop itself owns (prd.json, the progress log) are never put back.
  const pathspec = ["--", ".", ...keep.map((file) => `:(top,exclude)${path.relative(top, file)}`)];
  const patch = await gitOk(top, ["diff", "--no-color", "--no-renames", baseline, current, ...pathspec]);
  if (!patch) return undefined;
  const status = (
    await gitOk(top, ["diff", "--name-status", "--no-renames", "-z", baseline, current, ...pathspec])
  )
    .split("\0")
    .filter(Boolean);
  const added: string[] = [];
  const restored: string[] = [];
  for (let i = 0; i + 1 < status.length; i += 2) {
    (status[i] === "A" ? added : restored).push(status[i + 1]!);
  }
  for (const file of added) {
    await fs.rm(path.join(top, file), { force: true });
    await removeEmptyParents(top, path.dirname(path.join(top, file)));
  }
  if (restored.length) {
    await withPrivateIndex(async (env) => {
      await gitOk(top, ["read-tree", baseline], { env });
      await gitOk(top, ["checkout-index", "-f", "--", ...restored], { env });
    });
  }
  return patch.length > MAX_PATCH_CHARS
    ? `${patch.slice(0, MAX_PATCH_CHARS)}\n[patch clipped: ${patch.length} characters]`
    : patch;
}

async function removeEmptyParents(top: string, dir: string): Promise<void> {
  while (dir.startsWith(`${top}${path.sep}`)) {
    const removed = await fs.rmdir(dir).then(
      () => true,
      () => false,
    );
    if (!removed) return;
    dir = path.dirname(dir);
  }
}
