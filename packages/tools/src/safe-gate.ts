import { type AutoApprove, type PermissionRule, RuleGate } from "@codetether/core";

/**
 * Rules for a host that configured none: every tool asks. With the default `safe` auto-approve, read-only tools then
 * run and tools that write or execute are refused unless someone answers the ask (an interactive prompt) or the
 * caller chose `autoApprove: "all"`. Never allow-all by omission.
 */
export const SAFE_DEFAULT_RULES: readonly PermissionRule[] = Object.freeze([
  { tool: "*", action: "ask" as const },
]);

/** The gate a registry gets when its caller passes none ({@link SAFE_DEFAULT_RULES}). */
export function safeDefaultGate(options: { autoApprove?: AutoApprove } = {}): RuleGate {
  return new RuleGate({ rules: [...SAFE_DEFAULT_RULES], autoApprove: options.autoApprove ?? "safe" });
}
