import { defineTool, type Tool, type ToolKind } from "@codetether/core";
import { loadDescription } from "../util/description.js";
import { jsonSchemaParameters } from "./json-schema-params.js";
import type { McpManager, McpToolInfo } from "./mcp-manager.js";
import { toToolResult } from "./mcp-result.js";

let template: string | undefined;

/** Tool ids are `<server>_<tool>`, restricted to what every vendor accepts (`[A-Za-z0-9_-]{1,64}`). */
export function mcpToolId(server: string, tool: string): string {
  return `${server}_${tool}`.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
}

/** MCP annotations are hints; anything not declared read-only is treated as able to change things. */
function kindFor(info: McpToolInfo): ToolKind {
  if (info.annotations?.readOnlyHint) return info.annotations.openWorldHint ? "network" : "read";
  return "exec";
}

/** One MCP server tool as a first-class core tool. */
export function createMcpTool(manager: McpManager, server: string, info: McpToolInfo): Tool {
  template ??= loadDescription(new URL("./mcp-tool.txt", import.meta.url));
  const origin = template.replaceAll("{server}", server).replaceAll("{tool}", info.name);
  const summary = info.description?.trim() || info.title || info.annotations?.title || info.name;
  return defineTool({
    id: mcpToolId(server, info.name),
    description: `${summary}\n\n${origin}`,
    parameters: jsonSchemaParameters(info.inputSchema as Record<string, unknown>),
    kind: kindFor(info),
    origin: `mcp:${server}`,
    async execute(args, ctx) {
      try {
        const result = await manager.callTool(server, info.name, args, { signal: ctx.signal });
        return toToolResult(server, info.name, result);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        return {
          output: (err as Error).message,
          isError: true,
          metadata: { mcpServer: server, mcpTool: info.name, error: "mcp_error" },
        };
      }
    },
  }) as Tool;
}
