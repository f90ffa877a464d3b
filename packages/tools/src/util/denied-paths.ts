import { evaluateRules, type PermissionRule, realpathLoose, type ToolContext } from "@codetether/core";

/**
 * Search tools read many files under one permitted directory; the gate only saw that directory.
 * This applies the gate's deny rules (for the search tool and for `read`) to every file found, so
 * `deny read .env*` also keeps `.env` contents out of grep and codesearch results.
 * The gate comes from `ctx.services.gate` (core `RuleGate`); without it nothing is filtered.
 */
export function deniedPathFilter(ctx: ToolContext, toolId: string): (abs: string) => boolean {
  const gate = ctx.services?.gate as { rules?: unknown } | undefined;
  const rules = Array.isArray(gate?.rules) ? (gate.rules as PermissionRule[]) : [];
  const pathRules = rules.filter((r) => r.path !== undefined);
  if (pathRules.length === 0) return () => false;
  // Matched as found and where a symlink leads, like the gate does.
  return (abs) => {
    const paths = [abs, realpathLoose(abs)];
    return (
      evaluateRules(rules, toolId, paths, ctx.workspaceRoot) === "deny" ||
      evaluateRules(rules, "read", paths, ctx.workspaceRoot) === "deny"
    );
  };
}
