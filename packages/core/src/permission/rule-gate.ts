import path from "node:path";
import type {
  PermissionAction,
  PermissionDecision,
  PermissionGate,
  PermissionRequest,
} from "./permission-gate.js";
import { evaluateRules, type PermissionRule } from "./permission-rule.js";
import { isInside } from "./workspace-confinement.js";

/** How `ask` is answered when no interactive host is present. */
export type AutoApprove = "all" | "safe" | "none";

/** The answer of a host to a permission prompt. */
export type PermissionAnswer = "once" | "always" | "deny";

export interface PermissionPrompt {
  toolId: string;
  kind: string;
  args: unknown;
  paths: string[];
}

export interface RuleGateOptions {
  rules?: PermissionRule[];
  /** Interactive prompt (TUI, ACP editor). Without it `autoApprove` decides. */
  prompt?: (request: PermissionPrompt) => Promise<PermissionAnswer>;
  autoApprove?: AutoApprove;
  /** Called for every decision, e.g. to write the audit trail. */
  onDecision?: (event: {
    toolId: string;
    paths: string[];
    action: PermissionAction;
    outcome: "allow" | "deny";
    reason?: string;
  }) => void;
}

const SAFE_KINDS = new Set(["read", "agent", "other"]);

/**
 * Enforces permission rules, plan mode and workspace confinement. Evaluated by the tool registry
 * before every execution, so a denied call never reaches the tool.
 */
export class RuleGate implements PermissionGate {
  rules: PermissionRule[];
  planMode = false;
  private readonly options: RuleGateOptions;

  constructor(options: RuleGateOptions = {}) {
    this.options = options;
    this.rules = [...(options.rules ?? [])];
  }

  async check({ tool, args, ctx }: PermissionRequest): Promise<PermissionDecision> {
    const root = ctx.workspaceRoot;
    const paths = (tool.paths?.(args) ?? []).map((p) => path.resolve(ctx.cwd, p));
    const decide = (
      outcome: "allow" | "deny",
      action: PermissionAction,
      reason?: string,
    ): PermissionDecision => {
      this.options.onDecision?.({ toolId: tool.id, paths, action, outcome, ...(reason ? { reason } : {}) });
      return outcome === "allow" ? { action: "allow" } : { action: "deny", reason: reason ?? "denied" };
    };

    if (this.planMode && (tool.kind === "write" || tool.kind === "exec")) {
      return decide(
        "deny",
        "deny",
        `"${tool.id}" is not available in plan mode: it changes files or runs commands. ` +
          "Finish the plan and call plan_exit first.",
      );
    }

    const ruled = evaluateRules(this.rules, tool.id, paths, root);
    if (ruled === "deny") {
      return decide(
        "deny",
        "deny",
        `Permission denied by a rule: "${tool.id}"${paths.length ? ` on ${paths.join(", ")}` : ""} is denied in the permission config.`,
      );
    }

    // Paths outside the workspace need an explicit allow rule naming them.
    const outside = paths.filter((p) => !isInside(root, p));
    if (
      outside.length &&
      !(ruled === "allow" && this.rules.some((r) => r.path !== undefined && r.action === "allow"))
    ) {
      return decide(
        "deny",
        "deny",
        `Path outside the workspace (${root}): ${outside.join(", ")}. File tools are confined to the workspace; ` +
          "add an allow rule with a path glob for this location to permit it.",
      );
    }

    if (ruled === "ask") {
      const answer = await this.ask({ toolId: tool.id, kind: tool.kind, args, paths });
      if (answer === "deny") {
        const reason = this.options.prompt
          ? `The user denied "${tool.id}".`
          : `"${tool.id}" needs approval (permission rule "ask") and this run is non-interactive ` +
            `(auto-approve: ${this.options.autoApprove ?? "none"}). Re-run with --auto-approve all or --yes to allow it.`;
        return decide("deny", "ask", reason);
      }
      if (answer === "always") this.rules.push({ tool: tool.id, action: "allow" });
      return decide("allow", "ask");
    }
    return decide("allow", ruled ?? "allow");
  }

  private async ask(request: PermissionPrompt): Promise<PermissionAnswer | "deny"> {
    if (this.options.prompt) return this.options.prompt(request);
    const mode = this.options.autoApprove ?? "none";
    if (mode === "all") return "once";
    if (mode === "safe" && SAFE_KINDS.has(request.kind)) return "once";
    return "deny";
  }
}
