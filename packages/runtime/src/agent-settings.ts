import { type AgentOptions, type Config, createCompactionHook } from "@codetether/core";

/** The Agent options every command takes from `[agent]` and `[session]` config: one mapping for run, tui and acp. */
export function agentSettings(
  config: Config,
): Pick<AgentOptions, "maxSteps" | "maxRetries" | "idleTimeoutMs" | "systemPrompt" | "beforeStep"> {
  return {
    maxSteps: config.agent.max_steps,
    maxRetries: config.agent.max_retries,
    idleTimeoutMs: config.agent.request_timeout_ms,
    ...(config.agent.system_prompt ? { systemPrompt: config.agent.system_prompt } : {}),
    beforeStep: createCompactionHook({
      enabled: config.session.auto_compact,
      threshold: config.session.compact_threshold,
    }),
  };
}
