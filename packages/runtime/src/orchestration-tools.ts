import type { Config, ToolRegistry } from "@codetether/core";
import type { SwarmToolOptions } from "@codetether/swarm";

/**
 * Adds the tools that drive other packages — `rlm`, `swarm`, `prd`, `ralph` — and routes tool results over
 * `[rlm] threshold_chars` through RLM instead of flooding the context. None is given a model: each uses the calling
 * agent's model at call time (`toolModel` in core), so they follow a model switch.
 */
export async function addOrchestrationTools(
  registry: ToolRegistry,
  config: Config,
  agents: Pick<SwarmToolOptions, "resolveModel" | "projectTrusted"> = {},
  secure?: (registry: ToolRegistry) => Promise<void>,
): Promise<void> {
  const [{ createRlmTool, withRlmRouting }, { createSwarmTool }, { createPrdTool, createRalphTool }] =
    await Promise.all([import("@codetether/rlm"), import("@codetether/swarm"), import("@codetether/ralph")]);
  const rlm = { maxIterations: config.rlm.max_iterations, maxDepth: config.rlm.max_depth };
  registry.register(
    createRlmTool({ ...rlm, allowedPaths: config.permissions.allowed_paths }),
    createSwarmTool({ tools: registry, ...agents }),
    createPrdTool(),
    createRalphTool({ tools: registry }),
  );
  // Audited, output-masked and given the command sandbox like every other tool (ralph runs quality checks), before
  // RLM routing wraps them: the router must only ever see masked output.
  await secure?.(registry);
  for (const tool of registry.list()) {
    registry.register(withRlmRouting(tool, { thresholdChars: config.rlm.threshold_chars }));
  }
}
