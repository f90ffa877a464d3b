import os from "node:os";
import path from "node:path";
import type { Tool } from "../tool/tool.js";
import type {
  PermissionAction,
  PermissionDecision,
  PermissionGate,
  PermissionRequest,
  PermissionState,
} from "./permission-gate.js";
import { evaluateRules, type PermissionRule, type RuleTarget, ruleMatchesTool } from "./permission-rule.js";
import { protectedProjectPathReason } from "./protected-project-paths.js";
import { isInsideAny, realpathLoose } from "./workspace-confinement.js";

/** A tool's permissions before any call (see {@link RuleGate.standing}). */
export interface ToolStanding {
  /** For a call that touches no path. */
  action: PermissionAction;
  /** Other actions path-scoped rules give it on some paths. */
  onSomePaths: PermissionAction[];
  /** Plan mode blocks tools that change files or run commands. */
  planMode: "allowed" | "blocked";
}

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
  /**
   * Directories file tools may use besides the workspace (config `permissions.allowed_paths`): absolute,
   * `~/...`, or relative to the workspace root. Allow rules never widen confinement; only this list does.
   */
  extraRoots?: string[];
  /**
   * Refuse file writes to `.git`, `codetether.toml` and `.codetether/` anywhere in the roots (set while the
   * sandbox is on: what runs outside it acts on them; see {@link protectedProjectPathReason}).
   */
  protectProjectPaths?: boolean;
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

  permissionState(): PermissionState {
    return {
      planMode: this.planMode,
      interactive: this.options.prompt !== undefined,
      autoApprove: this.options.autoApprove ?? "none",
    };
  }

  /** The directories file tools are confined to: the workspace root, then the configured extra roots. */
  roots(workspaceRoot: string): string[] {
    const extra = (this.options.extraRoots ?? []).map((p) =>
      p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : path.resolve(workspaceRoot, p),
    );
    return [workspaceRoot, ...extra];
  }

  /**
   * Re-checks the deny rules against the real path a file tool is about to change (the path may have
   * become a symlink since {@link check}); returns the refusal message, or undefined when allowed.
   */
  deniedReason(
    toolId: string,
    realPath: string,
    workspaceRoot: string,
    target: RuleTarget = { writesFiles: true },
  ): string | undefined {
    if (this.options.protectProjectPaths && target.writesFiles) {
      const reason = protectedProjectPathReason(realPath, this.roots(workspaceRoot));
      if (reason) return reason;
    }
    if (evaluateRules(this.rules, toolId, [realPath], workspaceRoot, target) !== "deny") return;
    return `Permission denied by a rule: "${toolId}" on ${realPath} is denied in the permission config.`;
  }

  /**
   * What the rules say about a tool before any call: the action for a call without paths, the other actions that
   * path rules give it on some paths, and whether plan mode blocks it. For listings (`codetether tools list`).
   */
  standing(tool: Pick<Tool, "id" | "kind">): ToolStanding {
    const action = evaluateRules(this.rules, tool.id, [], "/") ?? "allow";
    const target = { writesFiles: tool.kind === "write" };
    const onPaths = new Set(
      this.rules
        .filter((r) => r.path !== undefined && r.action !== action && ruleMatchesTool(r, tool.id, target))
        .map((r) => r.action),
    );
    return {
      action,
      onSomePaths: [...onPaths],
      planMode: tool.kind === "write" || tool.kind === "exec" ? "blocked" : "allowed",
    };
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

    // Rules see the path as written and where it really leads, so a symlink cannot dodge a deny rule.
    const matched = [...new Set([...paths, ...paths.map((p) => realpathLoose(p))])];
    const ruled = evaluateRules(this.rules, tool.id, matched, root, { writesFiles: tool.kind === "write" });
    if (ruled === "deny") {
      return decide(
        "deny",
        "deny",
        `Permission denied by a rule: "${tool.id}"${paths.length ? ` on ${paths.join(", ")}` : ""} is denied in the permission config.`,
      );
    }

    // Confinement holds whatever the rules say: only the configured extra roots widen it.
    const outside = paths.filter((p) => !isInsideAny(this.roots(root), p));
    if (outside.length) {
      return decide(
        "deny",
        "deny",
        `Path outside the workspace (${root}): ${outside.join(", ")}. File tools are confined to the workspace; ` +
          "list extra directories in permissions.allowed_paths of your user config to permit them.",
      );
    }

    // The sandbox's protected paths hold here too, not only in the local file tools' own re-check at write time: a
    // tool that writes some other way (an ACP editor's file system) must not plant a git hook or config either.
    if (this.options.protectProjectPaths && tool.kind === "write") {
      for (const p of paths) {
        const reason = protectedProjectPathReason(p, this.roots(root));
        if (reason) return decide("deny", "deny", reason);
      }
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
