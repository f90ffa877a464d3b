import type { McpServer } from "@agentclientprotocol/sdk";

/** An MCP server entry in codetether's `[mcp.servers.<name>]` shape. */
export interface McpServerEntry {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
  headers?: Record<string, string>;
}

/**
 * The MCP servers an editor passes in `session/new`/`session/load`, as codetether config entries.
 * stdio and streamable HTTP are supported; SSE-only and ACP-transport servers are reported so the
 * caller can tell the user instead of silently dropping them.
 */
export function mcpServersToConfig(servers: McpServer[]): {
  servers: Record<string, McpServerEntry>;
  unsupported: string[];
} {
  const out: Record<string, McpServerEntry> = {};
  const unsupported: string[] = [];
  for (const server of servers) {
    if ("type" in server && server.type === "http") {
      out[server.name] = {
        url: server.url,
        headers: Object.fromEntries(server.headers.map((h) => [h.name, h.value])),
      };
    } else if ("type" in server && (server.type === "sse" || server.type === "acp")) {
      unsupported.push(`${server.name} (${server.type} transport is not supported; use stdio or http)`);
    } else if ("command" in server) {
      out[server.name] = {
        command: server.command,
        args: server.args,
        env: Object.fromEntries(server.env.map((e) => [e.name, e.value])),
      };
    }
  }
  return { servers: out, unsupported };
}
