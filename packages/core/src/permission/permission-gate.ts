import type { Tool, ToolContext } from "../tool/tool.js";

export type PermissionAction = "allow" | "ask" | "deny";

export interface PermissionRequest {
  tool: Tool;
  args: unknown;
  ctx: ToolContext;
}

export type PermissionDecision = { action: "allow" } | { action: "deny"; reason: string };

/** Decides, before each execution, whether a tool call may run. */
export interface PermissionGate {
  check(request: PermissionRequest): Promise<PermissionDecision>;
}
