import type { Config, Provider, ToolRegistry } from "@codetether/core";

export interface OrchestrationOptions {
  provider: Provider;
  model: string;
  config: Config;
}

/**
 * Adds the tools that drive other packages — `rlm`, `swarm`, `prd`, `ralph` — and routes tool results over
 * `[rlm] threshold_chars` through RLM instead of flooding the context. Lazy: nothing loads before first use.
 */
export async function addOrchestrationTools(
  registry: ToolRegistry,
  options: OrchestrationOptions,
): Promise<void> {
  const [{ createRlmTool, withRlmRouting }, { createSwarmTool }, { createPrdTool, createRalphTool }] =
    await Promise.all([import("@codetether/rlm"), import("@codetether/swarm"), import("@codetether/ralph")]);
  const { provider, model, config } = options;
  const rlm = { maxIterations: config.rlm.max_iterations, maxDepth: config.rlm.max_depth };
  registry.register(
    createRlmTool({ provider, model, ...rlm, allowedPaths: config.permissions.allowed_paths }),
    createSwarmTool({ provider, model, tools: registry }),
    createPrdTool({ provider, model }),
    createRalphTool({ provider, model, tools: registry }),
  );
  for (const tool of registry.list()) {
    registry.register(withRlmRouting(tool, { provider, model, thresholdChars: config.rlm.threshold_chars }));
  }
}
