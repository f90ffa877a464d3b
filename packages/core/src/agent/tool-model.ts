import type { ModelInfo } from "../model-info.js";
import type { Provider } from "../provider/provider.js";
import type { ToolContext, ToolResult } from "../tool/tool.js";
import { Agent } from "./agent.js";

/** The model a tool runs its own model calls with (sub-agents, RLM, swarm, Ralph). */
export interface ToolModel {
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
}

/**
 * Which model a tool should use: the one it was built with, when both `provider` and `model` were given; else the
 * model of the agent calling it right now (`ctx.services.agent`). Tools built without a model therefore follow a
 * host that switches models mid-session (the TUI's /model) instead of keeping the one from start-up.
 * Undefined when neither is known: the tool should say it is not configured.
 */
export function toolModel(
  ctx: Pick<ToolContext, "services">,
  fixed: { provider?: Provider; model?: string; modelInfo?: ModelInfo } = {},
): ToolModel | undefined {
  if (fixed.provider && fixed.model) {
    return {
      provider: fixed.provider,
      model: fixed.model,
      ...(fixed.modelInfo ? { modelInfo: fixed.modelInfo } : {}),
    };
  }
  const agent = ctx.services?.agent;
  if (!(agent instanceof Agent)) return undefined;
  const { provider, model, modelInfo } = agent.options;
  return { provider, model, ...(modelInfo ? { modelInfo } : {}) };
}

/** What a tool answers when {@link toolModel} finds no model: how to give it one. */
export function noToolModel(toolId: string): ToolResult {
  return {
    output: `${toolId} has no model here: run it inside an agent or give it a provider and model.`,
    isError: true,
  };
}
