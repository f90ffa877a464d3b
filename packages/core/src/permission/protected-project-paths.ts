import path from "node:path";
import { realpathLoose } from "./workspace-confinement.js";

/**
 * Path parts that something outside the sandbox acts on: git runs hooks and the programs named in any git
 * dir's config, attributes and `commondir` (the repository's own, a linked worktree's, a submodule's, a nested
 * repository's), and codetether loads `codetether.toml` / `.codetether/` (in any folder it may be started from)
 * as project config, commands, agents and skills. The sandbox mounts the existing ones read-only; this is the
 * same protection for the file tools, which need no mount and so also cover paths that do not exist yet.
 */
const PROTECTED_PARTS = new Set([".git", ".codetether"]);
const PROTECTED_NAMES = new Set(["codetether.toml"]);

/**
 * Why a file tool may not write `target` while the sandbox is on, or undefined when it may. Only the part of
 * the path below the root that contains it counts (a workspace may itself live below such a folder).
 */
export function protectedProjectPathReason(target: string, roots: readonly string[]): string | undefined {
  const real = realpathLoose(target);
  for (const root of roots) {
    const rel = path.relative(realpathLoose(root), real);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) continue;
    const parts = rel.split(path.sep);
    const hit =
      parts.find((p) => PROTECTED_PARTS.has(p)) ??
      (PROTECTED_NAMES.has(parts.at(-1) ?? "") ? parts.at(-1) : undefined);
    if (!hit) continue;
    return (
      `${real} is protected while the sandbox is on: git and codetether act on what is in .git, ` +
      "codetether.toml and .codetether/ outside the sandbox, so the model may not change them. " +
      "Make that change yourself, or turn the sandbox off (codetether config --set sandbox.enabled=false)."
    );
  }
  return undefined;
}
