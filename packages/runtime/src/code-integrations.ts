import type { Config, Tool, ToolRegistry } from "@codetether/core";
import type { LoadedMcpTools, LspManager } from "@codetether/tools";

/** Language servers and MCP servers: child processes the host must shut down when it ends. */
export interface CodeIntegrations {
  /** For `createToolRegistry({ lsp })`: servers spawn on first use. */
  lsp: LspManager;
  /**
   * Connects `[mcp.servers]` (once per process) and registers their tools; ids already in `registry` are reserved.
   * Every registry of the process shares the one set of connections.
   */
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
  let mcp: Promise<LoadedMcpTools> | undefined;
  return {
    lsp,
    async addMcpTools(registry) {
      if (!Object.values(config.mcp.servers).some((s) => s.enabled !== false)) return;
      mcp ??= loadMcpTools(config, { reservedIds: registry.ids(), cwd, network: config.network }).then(
        (loaded) => {
          for (const e of loaded.errors)
            io.stderr.write(`codetether: MCP server "${e.server}": ${e.message}\n`);
          return loaded;
        },
      );
      const tools: Tool[] = (await mcp).tools.filter((t) => !registry.get(t.id));
      registry.register(...tools);
    },
    async dispose() {
      await Promise.allSettled([lsp.dispose(), mcp?.then((m) => m.manager.close())]);
    },
  };
}
