import type { ToolContext } from "../tool/tool.js";
import type { ToolRegistry } from "../tool/tool-registry.js";
import { Agent } from "./agent.js";

/**
 * The tools a tool that starts agents (swarm, ralph) gives them: those of the agent calling it right now
 * (`ctx.services.agent`), else `fallback` (the registry it was built with, for a call outside an agent). An agent
 * whose tools were narrowed — a custom agent's allow-list, `worker --auto-approve safe`, a `task` sub-agent's
 * `tools` — must not get the rest back through the agents it starts.
 */
export function callerTools(ctx: Pick<ToolContext, "services">, fallback: ToolRegistry): ToolRegistry {
  const agent = ctx.services?.agent;
  return agent instanceof Agent ? agent.options.tools : fallback;
}
