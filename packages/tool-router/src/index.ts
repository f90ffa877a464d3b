export { Semaphore } from "@codetether/core";
export {
  FUNCTION_GEMMA_DEVELOPER_LINE,
  FUNCTION_GEMMA_TOKENS,
  type FunctionGemmaMessage,
  type FunctionGemmaPromptInput,
  formatFunctionGemmaPrompt,
  functionGemmaPromptSegments,
  type PromptSegment,
  promptToString,
} from "./functiongemma-format.js";
export { DEFAULT_BOUNDS, functionGemmaGrammar, type SchemaBounds } from "./functiongemma-grammar.js";
export { type FunctionGemmaCall, parseFunctionGemmaCalls } from "./functiongemma-parse.js";
export { loadLlamaCppModel } from "./llama-cpp-model.js";
export { ModelHost, type ModelHostOptions, sharedModelHost } from "./model-host.js";
export { isHfUri, resolveModelPath } from "./model-path.js";
export { type PullRouterModelOptions, pullRouterModel } from "./pull-router-model.js";
export {
  resolveToolRouterConfig,
  TOOL_ROUTER_DEFAULT_MODEL,
  TOOL_ROUTER_DEFAULTS,
  type ToolRouterConfig,
  ToolRouterConfigError,
  type ToolRouterConfigKeys,
  type ToolRouterDevice,
} from "./router-config.js";
export type { GenerateOptions, LoadModelOptions, RouterModel, RouterModelLoader } from "./router-model.js";
export { type RoutingReport, RoutingSkipped } from "./routing-report.js";
export {
  type RouteInput,
  type RouteResult,
  type ShouldRouteInput,
  ToolRouter,
  type ToolRouterOptions,
} from "./tool-router.js";
export { createToolRouterHook, type ToolRouterHookOptions } from "./tool-router-hook.js";
export { CORE_TOOLS, selectTools } from "./tool-selection.js";
export { validateJson } from "./validate-json.js";
