import { type Provider, type Session, type Tool, toolModel } from "@codetether/core";
import { type RouteLargeResultOptions, routeLargeToolResult } from "./route-large-result.js";

export type RlmRoutingOptions = Omit<
  RouteLargeResultOptions,
  "result" | "toolName" | "toolArgs" | "task" | "signal" | "provider" | "model"
> & {
  /** With `model`: the model that summarises. Without: the calling agent's current model (`toolModel`). */
  provider?: Provider;
  model?: string;
};

/** The text of the session's last user message: what the agent is working on. */
function currentTask(services: Record<string, unknown> | undefined): string | undefined {
  const session = services?.session as Session | undefined;
  const last = session?.messages?.findLast((m) => m.role === "user");
  const text = last?.content
    .filter((p) => p.type === "text")
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("");
  return text || undefined;
}

/**
 * Wraps a tool so that outputs over the threshold go through {@link routeLargeToolResult}: register
 * `tools.map((t) => withRlmRouting(t, { provider, model }))` instead of the tools themselves. The `rlm`
 * tool itself is returned unwrapped.
 */
export function withRlmRouting(tool: Tool, options: RlmRoutingOptions): Tool {
  if (tool.id === "rlm") return tool;
  return {
    ...tool,
    async execute(args, ctx) {
      const result = await tool.execute(args, ctx);
      const chosen = toolModel(ctx, options);
      // No model to summarise with (not inside an agent, none given): the result passes through as it is.
      if (!chosen) return result;
      const task = currentTask(ctx.services);
      return routeLargeToolResult({
        ...options,
        provider: chosen.provider,
        model: chosen.model,
        result,
        toolName: tool.id,
        toolArgs: args,
        signal: ctx.signal,
        ...(task ? { task } : {}),
      });
    },
  };
}
