export { Semaphore } from "@codetether/core";
export { DEFAULT_BOUNDS, routerOutputSchema, type SchemaBounds, toGrammarSchema } from "./call-schema.js";
export {
  buildRouterPrompt,
  FUNCTION_GEMMA_TOKENS,
  type PromptSegment,
  promptToString,
  type RouterPromptInput,
} from "./functiongemma-format.js";
export { loadLlamaCppModel } from "./llama-cpp-model.js";
export { ModelHost, type ModelHostOptions, sharedModelHost } from "./model-host.js";
export { isHfUri, resolveModelPath } from "./model-path.js";
export {
  resolveToolRouterConfig,
  TOOL_ROUTER_DEFAULTS,
  type ToolRouterConfig,
  ToolRouterConfigError,
  type ToolRouterConfigKeys,
  type ToolRouterDevice,
} from "./router-config.js";
export type { LoadModelOptions, RouterModel, RouterModelLoader } from "./router-model.js";
export { type RouteInput, type ShouldRouteInput, ToolRouter, type ToolRouterOptions } from "./tool-router.js";
export { createToolRouterHook, type ToolRouterHookOptions } from "./tool-router-hook.js";
export { validateJson } from "./validate-json.js";
