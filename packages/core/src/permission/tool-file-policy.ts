import type { ToolContext } from "../tool/tool.js";
import type { ConfinementPolicy } from "../util/confined-file.js";
import { RuleGate } from "./rule-gate.js";

/**
 * Where a tool that reads or writes files itself may go: the workspace and the gate's configured extra roots; the
 * real path it opens is checked against the deny rules again (the gate saw the path before any symlink swap). The
 * gate comes from `ctx.services.gate`; without one, only the workspace (and `extraRoots`) is allowed.
 */
export function toolFilePolicy(
  ctx: ToolContext,
  toolId: string,
  access: "read" | "write" = "write",
  extraRoots: readonly string[] = [],
): ConfinementPolicy {
  const gate = ctx.services?.gate;
  if (!(gate instanceof RuleGate)) return { roots: [ctx.workspaceRoot, ...extraRoots] };
  // A write rule (`tool = "write"`) covers every tool that writes, but not reading the file.
  const target = { writesFiles: access === "write" };
  return {
    roots: gate.roots(ctx.workspaceRoot),
    check: (real) => gate.deniedReason(toolId, real, ctx.workspaceRoot, target),
  };
}
