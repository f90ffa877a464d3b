import {
  type Config,
  describeIssues,
  type McpServerConfig,
  McpServerConfigSchema,
  type Tool,
} from "@codetether/core";
import { loadAjv } from "./json-schema-params.js";
import { McpManager, type McpManagerOptions } from "./mcp-manager.js";
import { createMcpTool, mcpToolId } from "./mcp-tool.js";

export interface McpLoadError {
  server: string;
  message: string;
}

export interface LoadedMcpTools {
  /** Keeps the connections; close it when the host shuts down. */
  manager: McpManager;
  tools: Tool[];
  /** Servers (or tools) that could not be loaded; the others still work. */
  errors: McpLoadError[];
}

export interface LoadMcpToolsOptions extends McpManagerOptions {
  /** Ids already taken (built-in tools); an MCP tool mapping to one is skipped instead of shadowing it. */
  reservedIds?: Iterable<string>;
}

export type McpConfigInput = Pick<Config, "mcp"> | { mcp?: { servers?: Record<string, unknown> } };

/**
 * Starts every enabled `[mcp.servers.<name>]`, lists its tools and wraps each as a core tool named
 * `<server>_<tool>`. A server that fails to start is reported in `errors` and skipped.
 */
export async function loadMcpTools(
  config: McpConfigInput,
  options: LoadMcpToolsOptions = {},
): Promise<LoadedMcpTools> {
  const errors: McpLoadError[] = [];
  const servers: Record<string, McpServerConfig> = {};
  for (const [name, raw] of Object.entries(config.mcp?.servers ?? {})) {
    const parsed = McpServerConfigSchema.safeParse(raw);
    if (parsed.success) servers[name] = parsed.data;
    else errors.push({ server: name, message: describeIssues(`[mcp.servers.${name}]`, parsed.error) });
  }
  const { reservedIds, ...managerOptions } = options;
  const manager = new McpManager(servers, managerOptions);
  const listed = await Promise.all(
    manager.serverNames().map(async (server) => {
      try {
        return { server, infos: await manager.listTools(server) };
      } catch (err) {
        errors.push({ server, message: (err as Error).message });
        return { server, infos: [] };
      }
    }),
  );
  if (listed.some((l) => l.infos.length > 0)) await loadAjv();
  const tools: Tool[] = [];
  const seen = new Map<string, string>([...(reservedIds ?? [])].map((id) => [id, "a built-in tool"]));
  for (const { server, infos } of listed) {
    for (const info of infos) {
      const id = mcpToolId(server, info.name);
      const owner = seen.get(id);
      if (owner) {
        errors.push({
          server,
          message: `Tool "${info.name}" maps to id "${id}", already used by ${owner}; skipped.`,
        });
        continue;
      }
      seen.set(id, `${server}/${info.name}`);
      tools.push(createMcpTool(manager, server, info));
    }
  }
  return { manager, tools, errors };
}
