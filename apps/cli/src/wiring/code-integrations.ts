import type { Config, ToolRegistry } from "@codetether/core";
import type { LoadedMcpTools, LspManager } from "@codetether/tools";

/** Language servers and MCP servers: child processes the CLI must shut down when a command ends. */
export interface CodeIntegrations {
  /** For `createToolRegistry({ lsp })`: servers spawn on first use. */
  lsp: LspManager;
  /** Connects `[mcp.servers]` and registers their tools; ids already in `registry` are reserved. */
  addMcpTools(registry: ToolRegistry): Promise<void>;
  dispose(): Promise<void>;
}

export async function createCodeIntegrations(
  config: Config,
  cwd: string,
  io: { stderr: { write(text: string): unknown } },
): Promise<CodeIntegrations> {
  const { LspManager, loadMcpTools } = await import("@codetether/tools");
  const lsp = new LspManager();
  let mcp: LoadedMcpTools | undefined;
  return {
    lsp,
    async addMcpTools(registry) {
      if (!Object.values(config.mcp.servers).some((s) => s.enabled !== false)) return;
      mcp = await loadMcpTools(config, { reservedIds: registry.ids(), cwd, network: config.network });
      for (const e of mcp.errors) io.stderr.write(`codetether: MCP server "${e.server}": ${e.message}\n`);
      registry.register(...mcp.tools);
    },
    async dispose() {
      await Promise.allSettled([lsp.dispose(), mcp?.manager.close()]);
    },
  };
}
