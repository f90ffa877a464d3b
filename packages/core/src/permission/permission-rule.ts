import path from "node:path";
import picomatch from "picomatch";
import { z } from "zod";
import { lazySchema } from "../util/lazy-schema.js";
import type { PermissionAction } from "./permission-gate.js";

export const PermissionRuleSchema = lazySchema(() =>
  z.object({
    /** Tool id or glob (`*`, `mcp_*`). */
    tool: z.string().min(1),
    /** Optional path glob, matched against the path relative to the workspace root and the absolute path. */
    path: z.string().min(1).optional(),
    action: z.enum(["allow", "ask", "deny"]),
  }),
);
export type PermissionRule = z.infer<typeof PermissionRuleSchema>;

function matches(glob: string, value: string): boolean {
  return picomatch.isMatch(value, glob, { dot: true, nocase: false });
}

/** What a rule is matched against besides the tool id. */
export interface RuleTarget {
  /**
   * The tool changes files (kind "write": write, edit, multiedit, apply_patch, undo). A path rule naming `write`
   * then covers it too, so `{ tool = "write", path = ".env*", action = "deny" }` protects `.env` from every
   * tool that writes, not only from `write`.
   */
  writesFiles?: boolean;
}

/** Whether a rule names this tool (ignoring its path), including `write` path rules that cover every writing tool. */
export function ruleMatchesTool(rule: PermissionRule, toolId: string, target: RuleTarget): boolean {
  if (matches(rule.tool, toolId)) return true;
  return rule.path !== undefined && target.writesFiles === true && matches(rule.tool, "write");
}

/** Whether `rule` applies to this tool and (when the rule names a path) one of these absolute paths. */
export function ruleMatches(
  rule: PermissionRule,
  toolId: string,
  absPaths: string[],
  root: string,
  target: RuleTarget = {},
): boolean {
  if (!ruleMatchesTool(rule, toolId, target)) return false;
  if (rule.path === undefined) return true;
  const glob = rule.path;
  return absPaths.some((abs) => {
    const rel = path.relative(root, abs);
    const base = path.basename(abs);
    return matches(glob, abs) || matches(glob, rel) || (!glob.includes("/") && matches(glob, base));
  });
}

/** The last matching rule wins (so later, more specific config overrides earlier defaults). */
export function evaluateRules(
  rules: PermissionRule[],
  toolId: string,
  absPaths: string[],
  root: string,
  target: RuleTarget = {},
): PermissionAction | undefined {
  let action: PermissionAction | undefined;
  for (const rule of rules) if (ruleMatches(rule, toolId, absPaths, root, target)) action = rule.action;
  return action;
}
