import {
  ConfinementError,
  type ConfinementPolicy,
  type ToolContext,
  type ToolResult,
  toolFilePolicy,
  withFileLocks,
} from "@codetether/core";
import { fail } from "./result.js";

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
