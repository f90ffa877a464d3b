import type { AgentFactory } from "@codetether/a2a";
import {
  Agent,
  type AutoApprove,
  createSession,
  type Provider,
  RuleGate,
  type SessionStore,
} from "@codetether/core";
import type { ServerOptions } from "./server-options.js";

/** Session id for an A2A context, so follow-up tasks in one context continue one conversation. */
export function sessionIdForContext(contextId: string): string {
  return `a2a_${contextId.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 120)}`;
}

/** Builds the agent for one A2A task: the context's session, fresh tools, the configured model. */
export function a2aAgentFactory(
  options: ServerOptions & { provider: Provider; model: string },
  cwd: string,
  sessions: SessionStore,
): AgentFactory {
  const autoApprove: AutoApprove = options.autoApprove ?? "safe";
  return async ({ contextId, ask }) => {
    const id = sessionIdForContext(contextId);
    const session = await sessions.load(id).catch(() =>
      createSession({
        id,
        cwd,
        model: `${options.provider.id}/${options.model}`,
        title: `A2A ${contextId}`,
      }),
    );
    session.metadata.a2aContextId = contextId;
    // The tool set loads with the first task, not with the server (idle memory).
    const tools = options.createTools
      ? await options.createTools({ cwd, autoApprove })
      : (await import("@codetether/tools")).createToolRegistry({
          gate: new RuleGate({ autoApprove }),
          task: { provider: options.provider, model: options.model, store: sessions },
        });
    return new Agent({
      provider: options.provider,
      model: options.model,
      ...(options.modelInfo ? { modelInfo: options.modelInfo } : {}),
      tools,
      cwd,
      session,
      store: sessions,
      ask,
    });
  };
}
