export { type JsonObjectSchema, jsonSchemaParameters, loadAjv } from "./json-schema-params.js";
export {
  type LoadedMcpTools,
  type LoadMcpToolsOptions,
  loadMcpTools,
  type McpConfigInput,
  type McpLoadError,
} from "./load-mcp-tools.js";
export { type CallToolResult, McpManager, type McpManagerOptions, type McpToolInfo } from "./mcp-manager.js";
export { toToolResult } from "./mcp-result.js";
export { createMcpTool, mcpToolId } from "./mcp-tool.js";
