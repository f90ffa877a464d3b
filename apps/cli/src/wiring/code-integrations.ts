import type { Config, Tool } from "@codetether/core";
import type { LspManager } from "@codetether/tools";
import type { CliIO } from "../io.js";

/** Language servers and MCP servers: child processes the CLI must shut down when a command ends. */
export interface CodeIntegrations {
  /** Options for `createToolRegistry`: the LSP manager and the MCP servers' tools. */
  toolOptions: { lsp: LspManager; extraTools: Tool[] };
  dispose(): Promise<void>;
}

/** Starts nothing yet: LSP servers spawn on first use; MCP servers only when `[mcp.servers]` lists some. */
export async function createCodeIntegrations(
  config: Config,
  cwd: string,
  io: Pick<CliIO, "stderr">,
  reservedIds: string[],
): Promise<CodeIntegrations> {
  const { LspManager, loadMcpTools } = await import("@codetether/tools");
  const lsp = new LspManager();
  const hasMcp = Object.values(config.mcp.servers).some((s) => s.enabled !== false);
  const mcp = hasMcp ? await loadMcpTools(config, { reservedIds, cwd }) : undefined;
  for (const e of mcp?.errors ?? []) io.stderr.write(`codetether: MCP server "${e.server}": ${e.message}\n`);
  return {
    toolOptions: { lsp, extraTools: mcp?.tools ?? [] },
    async dispose() {
      await Promise.allSettled([lsp.dispose(), mcp?.manager.close()]);
    },
  };
}
