import type { AgentFactory } from "@codetether/a2a";
import {
  Agent,
  type AgentOptions,
  type AutoApprove,
  createSession,
  describeHolder,
  type SessionClaim,
  type SessionStore,
  sanitizeTerminalText,
} from "@codetether/core";
import type { ServerOptions } from "./server-options.js";

/** Session id for an A2A context, so follow-up tasks in one context continue one conversation. */
export function sessionIdForContext(contextId: string): string {
  return `a2a_${contextId.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 120)}`;
}

/**
 * Builds the agent for one A2A task: the context's session, fresh tools, the configured model. With a `runtime`
 * (what `codetether serve` passes) the tools and the agent come from it: the configured permission rules, the
 * sandbox, the audit log and secret redaction apply to every task. Without one (and without `createTools`) the
 * built-in tools sit behind the safe default gate: read-only tools run, write and exec tools are refused.
 *
 * The context's session is claimed first, as `run -c` does: a task continuing a context that another process (or
 * another task of this server) is writing waits for it, and the log names who holds it. The claim is released
 * when the task's run ends.
 */
export function a2aAgentFactory(
  options: ServerOptions & Required<Pick<ServerOptions, "provider" | "model">>,
  cwd: string,
  sessions: SessionStore,
): AgentFactory {
  const { runtime } = options;
  return async ({ contextId, ask }) => {
    const id = sessionIdForContext(contextId);
    const claim = await sessions.claim(id, {
      onWait: (holder) =>
        process.stderr.write(
          // The context id is the client's: printed without escape sequences.
          `codetether serve: session ${id} (context ${sanitizeTerminalText(contextId)}) is in use by ${describeHolder(holder)}; the task waits for it.\n`,
        ),
    });
    try {
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
        ? await options.createTools({ cwd, autoApprove: options.autoApprove ?? "safe" })
        : runtime
          ? await runtime.createTools({
              gate: runtime.createGate(options.autoApprove ? { autoApprove: options.autoApprove } : {}),
            })
          : await defaultTools(options, sessions, options.autoApprove ?? "safe");
      const agentOptions: AgentOptions = {
        provider: options.provider,
        model: options.model,
        ...(options.modelInfo ? { modelInfo: options.modelInfo } : {}),
        tools,
        cwd,
        session,
        store: sessions,
        ask,
      };
      return releaseAfterRun(runtime ? runtime.createAgent(agentOptions) : new Agent(agentOptions), claim);
    } catch (err) {
      await claim.release();
      throw err;
    }
  };
}

/** The agent, whose run releases `claim` when it ends (finished, failed or cancelled). */
function releaseAfterRun(agent: Agent, claim: SessionClaim): Agent {
  const run = agent.run.bind(agent);
  agent.run = (input, runOptions) =>
    (async function* () {
      try {
        yield* run(input, runOptions);
      } finally {
        await claim.release();
      }
    })();
  return agent;
}

/** Every built-in tool behind the safe default gate (no rules configured: write and exec tools ask). */
async function defaultTools(
  options: ServerOptions & Required<Pick<ServerOptions, "provider" | "model">>,
  sessions: SessionStore,
  autoApprove: AutoApprove,
) {
  const { createToolRegistry, safeDefaultGate } = await import("@codetether/tools");
  return createToolRegistry({
    gate: safeDefaultGate({ autoApprove }),
    task: { provider: options.provider, model: options.model, store: sessions },
  });
}
