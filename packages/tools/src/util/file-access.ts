import {
  ConfinementError,
  type ConfinementPolicy,
  RuleGate,
  type ToolContext,
  type ToolResult,
  withFileLocks,
} from "@codetether/core";
import { fail } from "./result.js";

/**
 * Where a file tool may read and write: the workspace and the gate's configured extra roots; before a
 * change, the real path is checked against the deny rules again (the gate saw the path before any
 * symlink swap). The gate comes from `ctx.services.gate`; without one, only the workspace is allowed.
 */
export function filePolicy(
  ctx: ToolContext,
  toolId: string,
  access: "read" | "write" = "write",
): ConfinementPolicy {
  const gate = ctx.services?.gate;
  if (!(gate instanceof RuleGate)) return { roots: [ctx.workspaceRoot] };
  // A write rule (`tool = "write"`) covers every tool that writes, but not reading the file.
  const target = { writesFiles: access === "write" };
  return {
    roots: gate.roots(ctx.workspaceRoot),
    check: (real) => gate.deniedReason(toolId, real, ctx.workspaceRoot, target),
  };
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
