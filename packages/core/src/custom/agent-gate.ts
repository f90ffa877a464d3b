import path from "node:path";
import type {
  PermissionDecision,
  PermissionGate,
  PermissionRequest,
  PermissionState,
} from "../permission/permission-gate.js";
import { evaluateRules } from "../permission/permission-rule.js";
import { ToolRegistry } from "../tool/tool-registry.js";
import { agentToolIds, type CustomAgent } from "./custom-agents.js";

/**
 * A custom agent's rules on top of the session's gate. An agent rule can only take permissions away: `deny` refuses
 * the call; `allow` and `ask` defer to the user's own rules (and prompts), so no agent file — a project's
 * included — can grant more than the user's configuration does.
 */
export class AgentGate implements PermissionGate {
  constructor(
    private readonly base: PermissionGate | undefined,
    private readonly agent: Pick<CustomAgent, "name" | "permissions">,
  ) {}

  async check(request: PermissionRequest): Promise<PermissionDecision> {
    const { tool, args, ctx } = request;
    const paths = (tool.paths?.(args) ?? []).map((p) => path.resolve(ctx.cwd, p));
    if (evaluateRules(this.agent.permissions, tool.id, paths, ctx.workspaceRoot) === "deny") {
      return {
        action: "deny",
        reason: `the "${this.agent.name}" agent may not use ${tool.id} here (its permissions deny it)`,
      };
    }
    return this.base ? this.base.check(request) : { action: "allow" };
  }

  /** The session gate's mode: the agent's rules only refuse, they do not change how `ask` is answered. */
  permissionState(): PermissionState | undefined {
    return this.base?.permissionState?.();
  }
}

/** The tools an agent runs with: its allow-list of `base`'s tools, behind its `AgentGate`. */
export function agentToolRegistry(
  base: ToolRegistry,
  agent: Pick<CustomAgent, "name" | "tools" | "permissions">,
): ToolRegistry {
  const registry = new ToolRegistry({ gate: new AgentGate(base.gate, agent) });
  for (const id of agentToolIds(agent, base.ids())) {
    const tool = base.get(id);
    if (tool) registry.register(tool);
  }
  return registry;
}
