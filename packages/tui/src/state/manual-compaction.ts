import { type Agent, type CompactionResult, compactSession, type ModelInfo } from "@codetether/core";

/**
 * `/compact`: summarises the agent's session now (core `compactSession` with `force`), running the `pre_compact`
 * hooks first; their notices go to `notify`. The caller saves the session.
 */
export function compactNow(
  agent: Agent,
  modelInfo: ModelInfo | undefined,
  notify: (text: string) => void,
): Promise<CompactionResult> {
  return compactSession({
    session: agent.session,
    provider: agent.options.provider,
    model: agent.options.model,
    force: true,
    ...(modelInfo ? { modelInfo } : {}),
    beforeSummarize: () =>
      agent.preCompactHooks("manual", new AbortController().signal, (event) => {
        if (event.type === "hook-notice") notify(`Hook (${event.event}): ${event.message}`);
      }),
  });
}
