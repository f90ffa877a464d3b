import {
  ConfinementError,
  type ConfinementPolicy,
  isInsideAny,
  realpathLoose,
  type ToolContext,
  type ToolResult,
  toolFilePolicy,
  withFileLocks,
} from "@codetether/core";
import { fail } from "./result.js";

/**
 * For tools that search or list a folder (grep, glob, list): the gate checked the path a moment ago, but a folder
 * swapped for a symlink since (a parallel bash call) must not lead outside. Checked again on the real path; an
 * error result when it now leaves the roots, else undefined. `inside(abs)` then tells whether a found file is.
 */
export function confinedSearch(
  ctx: ToolContext,
  toolId: string,
  root: string,
): { refused: ToolResult | undefined; inside: (abs: string) => boolean } {
  const { roots } = toolFilePolicy(ctx, toolId, "read");
  const seen = new Map<string, boolean>();
  const inside = (abs: string) => {
    const known = seen.get(abs);
    if (known !== undefined) return known;
    const ok = isInsideAny(roots, abs);
    seen.set(abs, ok);
    return ok;
  };
  const refused = inside(root)
    ? undefined
    : fail(
        `Path outside the workspace (${ctx.workspaceRoot}): ${root} resolves to ${realpathLoose(root)}. File tools are ` +
          "confined to the workspace; list extra directories in permissions.allowed_paths of your user config to permit them.",
        { error: "confinement" },
      );
  return { refused, inside };
}

/** Where a file tool may read and write (see `toolFilePolicy` in core). */
export function filePolicy(
  ctx: ToolContext,
  toolId: string,
  access: "read" | "write" = "write",
): ConfinementPolicy {
  return toolFilePolicy(ctx, toolId, access);
}

/**
 * Runs a file tool's body holding the per-file locks of `paths` (from reading to the atomic rename, so
 * parallel calls on one file never lose an update) and turns a refused access into a tool error.
 */
export async function lockedFileOperation(
  paths: string[],
  body: () => Promise<ToolResult>,
): Promise<ToolResult> {
  try {
    return await withFileLocks(paths, body);
  } catch (err) {
    if (err instanceof ConfinementError) return fail(err.message, { error: "confinement" });
    throw err;
  }
}
