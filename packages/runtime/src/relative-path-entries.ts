import path from "node:path";

/**
 * Removes the relative entries of `PATH` (`node_modules/.bin`, `.`, `bin`, and empty ones, which mean `.`) from
 * each environment given and returns them. A relative entry resolves in the directory a program is started in —
 * the workspace, where the sandboxed model writes — so `git`, `bash` (hooks) or `rg` started outside the sandbox
 * could otherwise be programs the model planted there.
 */
export function dropRelativePathEntries(...envs: Array<Record<string, string | undefined>>): string[] {
  const dropped = new Set<string>();
  for (const env of new Set(envs)) {
    if (env.PATH === undefined) continue;
    const entries = env.PATH.split(path.delimiter);
    const kept = entries.filter((dir) => path.isAbsolute(dir));
    if (kept.length === entries.length) continue;
    for (const dir of entries) if (!path.isAbsolute(dir)) dropped.add(dir || "(empty: the current folder)");
    env.PATH = kept.join(path.delimiter);
  }
  return [...dropped];
}
