import type { Tool, ToolContext } from "../tool/tool.js";

export type PermissionAction = "allow" | "ask" | "deny";

export interface PermissionRequest {
  tool: Tool;
  args: unknown;
  ctx: ToolContext;
}

export type PermissionDecision = { action: "allow" } | { action: "deny"; reason: string };

/**
 * How a gate answers calls at the moment, for hooks (Claude Code's `permission_mode`): whether plan mode refuses
 * writes and commands, whether a person answers `ask` rules, and otherwise how they are answered.
 */
export interface PermissionState {
  planMode: boolean;
  /** A host prompts a person for `ask` rules (TUI, an editor over ACP). */
  interactive: boolean;
  /** How `ask` rules are answered when nobody is prompted: "all" approves, "safe" approves reads, "none" refuses. */
  autoApprove: "all" | "safe" | "none";
}

/** Decides, before each execution, whether a tool call may run. */
export interface PermissionGate {
  check(request: PermissionRequest): Promise<PermissionDecision>;
  /** The gate's current mode; without one (no method, or undefined) hooks hear that nothing prompts or refuses. */
  permissionState?(): PermissionState | undefined;
}
