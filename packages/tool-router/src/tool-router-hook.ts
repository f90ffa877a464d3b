import type { ModelInfo, ResponseHook } from "@codetether/core";
import { ToolRouter, type ToolRouterOptions } from "./tool-router.js";

export interface ToolRouterHookOptions extends ToolRouterOptions {
  /** An existing router (shares its settings and model); default: a new one from the other options. */
  router?: ToolRouter;
  /** The answering model's catalog entry; `supportsTools: false` enables routing. */
  modelInfo?: ModelInfo;
  /** Overrides `modelInfo.supportsTools` (default true when unknown: the router stays off). */
  modelSupportsTools?: boolean;
  /** Route every text-only answer, even for tool-capable models. */
  force?: boolean;
}

/**
 * A core `ResponseHook` for `new Agent({ onResponse })`: text-only answers of models without native
 * tool calling become tool calls. Costs nothing (the model is never loaded) when routing is not needed.
 */
export function createToolRouterHook(options: ToolRouterHookOptions = {}): ResponseHook {
  const router = options.router ?? new ToolRouter(options);
  const modelSupportsTools = options.modelSupportsTools ?? options.modelInfo?.supportsTools ?? true;
  return (response, context) =>
    router.maybeRoute({
      response,
      tools: context.request.tools,
      modelSupportsTools,
      ...(options.force ? { force: true } : {}),
      tail: context.request.messages.filter((m) => m.role !== "system"),
      signal: context.signal,
      ...(context.emit ? { report: (r) => context.emit?.({ type: "tool-routing", ...r }) } : {}),
    });
}
