import {
  agentToolRegistry,
  type DefinitionDirs,
  loadCustomAgents,
  type ModelInfo,
  type Provider,
  type ToolRegistry,
} from "@codetether/core";

/** A model chosen by name (a custom agent's `model`), resolved by the host that knows the providers. */
export type ResolveAgentModel = (
  model: string,
) => Promise<{ provider: Provider; model: string; modelInfo?: ModelInfo }>;

/** What running every sub-agent of a swarm as one custom agent changes. */
export interface SwarmAgent {
  name: string;
  /** The agent's allow-list of the swarm's tools, behind its permissions (which only take away). */
  tools: ToolRegistry;
  /** The agent's system prompt, before the swarm's own instructions. */
  agentPrompt: string;
  /** The agent's model, when it names one (only from a trusted folder, or your own config dir). */
  model?: { provider: Provider; model: string; modelInfo?: ModelInfo };
}

/** Why a custom agent cannot run a swarm: `unknown_agent` names the agents that exist. */
export interface SwarmAgentProblem {
  error: "unknown_agent" | "agent_model_unavailable";
  message: string;
}

export interface SwarmAgentOptions {
  /** The tools the sub-agents would have without the agent. */
  tools: ToolRegistry;
  /**
   * Where agents are defined; `projectTrusted: false` keeps an untrusted project's agent to its prompt, tools and
   * permissions (its `model` is dropped by the loader).
   */
  dirs: DefinitionDirs;
  /** Resolves the agent's `model`; without it an agent that names a model is refused. */
  resolveModel?: ResolveAgentModel;
}

/**
 * The custom agent `name` (`.codetether/agents/<name>.md`) applied to a swarm: one code path for the `swarm` tool's
 * `agent` parameter and `codetether swarm --agent`, so both hold the same trust rules.
 */
export async function resolveSwarmAgent(
  name: string,
  options: SwarmAgentOptions,
): Promise<SwarmAgent | SwarmAgentProblem> {
  const { agents } = await loadCustomAgents(options.dirs);
  const custom = agents.find((a) => a.name === name);
  if (!custom)
    return {
      error: "unknown_agent",
      message: `No custom agent "${name}". Defined: ${agents.map((a) => a.name).join(", ") || "(none)"}.`,
    };
  let model: SwarmAgent["model"];
  if (custom.model) {
    if (!options.resolveModel)
      return {
        error: "agent_model_unavailable",
        message: `The custom agent "${custom.name}" names the model ${custom.model}, but this host cannot switch models. Remove its model line or run the swarm without agent.`,
      };
    try {
      model = await options.resolveModel(custom.model);
    } catch (err) {
      return {
        error: "agent_model_unavailable",
        message: `The custom agent "${custom.name}" names the model ${custom.model}, which cannot be used: ${(err as Error).message}`,
      };
    }
  }
  return {
    name: custom.name,
    tools: agentToolRegistry(options.tools, custom),
    agentPrompt: custom.systemPrompt,
    ...(model ? { model } : {}),
  };
}

/** The tools a swarm's sub-agents may use: all but `swarm` itself, so swarms do not nest. */
export function subAgentTools(tools: ToolRegistry): ToolRegistry {
  return tools.subset(tools.ids().filter((id) => id !== "swarm"));
}
