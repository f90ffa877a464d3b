import type { ToolContext } from "@codetether/core";

/** The permission gate that enforces plan mode (core `RuleGate`), passed by the host as `ctx.services.gate`. */
export interface PlanModeGate {
  planMode: boolean;
}

export function planGate(ctx: ToolContext): PlanModeGate | undefined {
  const gate = ctx.services?.gate as PlanModeGate | undefined;
  return gate && typeof gate === "object" && typeof gate.planMode === "boolean" ? gate : undefined;
}

export const NO_GATE =
  "Plan mode is not available: the host did not provide a permission gate (services.gate), so write and exec " +
  "tools could not be blocked. Continue without plan mode, and do not change files until the plan is agreed.";

/** Records the mode in the session metadata, so a resumed session knows it was planning. */
export function recordPlanMode(ctx: ToolContext, on: boolean, plan?: string): void {
  const session = ctx.services?.session as { metadata?: Record<string, unknown> } | undefined;
  if (!session?.metadata) return;
  session.metadata.planMode = on;
  if (plan !== undefined) session.metadata.plan = plan;
}
