import { checkUrl, createGuardedFetch, type McpServerConfig, type NetworkPolicy } from "@codetether/core";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult, Tool as McpToolInfo } from "@modelcontextprotocol/sdk/types.js";

export type { CallToolResult, McpToolInfo };

export interface McpManagerOptions {
  /** Name/version this client reports to servers. */
  clientInfo?: { name: string; version: string };
  /** Working directory for stdio servers (defaults to the process cwd). */
  cwd?: string;
  /** Time allowed to start a server and finish the MCP handshake. */
  connectTimeoutMs?: number;
  /** Default per-call timeout. */
  callTimeoutMs?: number;
  /**
   * Non-public addresses an HTTP server URL may point at (`[network] allow`); by default an MCP server on
   * loopback or a private network is refused, like every other request a tool makes.
   */
  network?: NetworkPolicy;
}

interface Connection {
  client: Client;
  /** Last lines a stdio server wrote to stderr, quoted when it fails. */
  stderrTail: string[];
  closed: boolean;
}

const STDERR_LINES = 20;

/** The MCP SDK, loaded on the first connection: most runs configure no MCP server, so start-up skips it. */
async function loadSdk() {
  const [client, stdio, http] = await Promise.all([
    import("@modelcontextprotocol/sdk/client/index.js"),
    import("@modelcontextprotocol/sdk/client/stdio.js"),
    import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
  ]);
  return {
    Client: client.Client,
    getDefaultEnvironment: stdio.getDefaultEnvironment,
    StdioClientTransport: stdio.StdioClientTransport,
    StreamableHTTPClientTransport: http.StreamableHTTPClientTransport,
  };
}

/**
 * Owns the MCP client connections of one host: each configured server is started (stdio) or connected
 * (streamable HTTP) on first use, reused by every later call, restarted on the next call after it dies,
 * and closed by `close()`.
 */
export class McpManager {
  private readonly connections = new Map<string, Promise<Connection>>();
  private readonly lastStderr = new Map<string, string[]>();
  private closed = false;

  constructor(
    private readonly servers: Record<string, McpServerConfig>,
    private readonly options: McpManagerOptions = {},
  ) {}

  /** Names of the enabled servers. */
  serverNames(): string[] {
    return Object.entries(this.servers)
      .filter(([, config]) => config.enabled !== false)
      .map(([name]) => name);
  }

  /** All tools a server offers (follows pagination). */
  async listTools(server: string, signal?: AbortSignal): Promise<McpToolInfo[]> {
    const { client } = await this.connect(server);
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, signal ? { signal } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  /** Calls a tool. Protocol errors and dead servers throw an Error that names the server and says why. */
  async callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<CallToolResult> {
    const connection = await this.connect(server);
    // The SDK adds an abort listener to the signal it is given and never removes it; a turn's signal is shared by
    // every call of the turn, so each call gets its own child signal, unlinked when the call ends.
    const call = new AbortController();
    const forward = () => call.abort(options.signal?.reason);
    if (options.signal?.aborted) forward();
    else options.signal?.addEventListener("abort", forward, { once: true });
    try {
      const result = await connection.client.callTool({ name: tool, arguments: args }, undefined, {
        signal: call.signal,
        timeout: options.timeoutMs ?? this.options.callTimeoutMs ?? 120_000,
      });
      return result as CallToolResult;
    } catch (err) {
      if (options.signal?.aborted) throw err;
      if (connection.closed) {
        throw new Error(
          `MCP server "${server}" closed the connection while running "${tool}" (it probably crashed).` +
            this.stderrHint(server) +
            " It will be restarted on the next call.",
        );
      }
      throw new Error(`MCP server "${server}" returned an error for "${tool}": ${(err as Error).message}`);
    } finally {
      options.signal?.removeEventListener("abort", forward);
    }
  }

  /** The connected client for a server, starting it on first use. */
  connect(server: string): Promise<Connection> {
    if (this.closed) return Promise.reject(new Error("The MCP manager has been closed."));
    const config = this.servers[server];
    if (!config) {
      const known = Object.keys(this.servers);
      return Promise.reject(
        new Error(
          `No MCP server named "${server}" is configured` +
            (known.length ? ` (configured: ${known.join(", ")}).` : ". Add one under [mcp.servers.<name>]."),
        ),
      );
    }
    if (config.enabled === false) {
      return Promise.reject(new Error(`MCP server "${server}" is disabled (enabled = false in its config).`));
    }
    let pending = this.connections.get(server);
    if (!pending) {
      pending = this.open(server, config);
      this.connections.set(server, pending);
      pending.catch(() => {
        if (this.connections.get(server) === pending) this.connections.delete(server);
      });
    }
    return pending;
  }

  private async open(server: string, config: McpServerConfig): Promise<Connection> {
    const { Client, getDefaultEnvironment, StdioClientTransport, StreamableHTTPClientTransport } =
      await loadSdk();
    const client = new Client(this.options.clientInfo ?? { name: "codetether", version: "0.1.0" });
    const connection: Connection = { client, stderrTail: [], closed: false };
    let transport: StdioClientTransport | StreamableHTTPClientTransport;
    if (config.command) {
      const stdio = new StdioClientTransport({
        command: config.command,
        args: config.args ?? [],
        // Only a safe default set of variables is inherited, so the host's secrets do not leak to servers.
        env: { ...getDefaultEnvironment(), ...config.env },
        stderr: "pipe",
        ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      });
      stdio.stderr?.on("data", (chunk: Buffer) => {
        const lines = chunk.toString("utf8").split("\n").filter(Boolean);
        connection.stderrTail.push(...lines);
        connection.stderrTail.splice(0, Math.max(0, connection.stderrTail.length - STDERR_LINES));
        this.lastStderr.set(server, connection.stderrTail);
      });
      transport = stdio;
    } else if (config.url) {
      const url = new URL(config.url);
      try {
        await checkUrl(url, this.options.network);
      } catch (err) {
        throw new Error(
          `MCP server "${server}" (URL ${redactUrl(config.url)}): ${(err as Error).message} ` +
            `Or use a stdio server ("command") in [mcp.servers.${server}].`,
        );
      }
      transport = new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { ...config.headers } },
        // Every request (and redirect) goes through the guard, pinned to the checked address.
        fetch: createGuardedFetch(this.options.network),
      });
    } else {
      throw new Error(`MCP server "${server}" has neither "command" nor "url"; set exactly one.`);
    }
    client.onclose = () => {
      connection.closed = true;
      if (this.connections.get(server) && !this.closed) this.connections.delete(server);
    };
    try {
      await client.connect(transport, { timeout: this.options.connectTimeoutMs ?? 30_000 });
    } catch (err) {
      await client.close().catch(() => {});
      const where = config.command ? `command "${config.command}"` : `URL ${redactUrl(config.url ?? "")}`;
      throw new Error(
        `Could not start MCP server "${server}" (${where}): ${(err as Error).message}.` +
          this.stderrHint(server) +
          " Check [mcp.servers." +
          server +
          "] in your config.",
      );
    }
    return connection;
  }

  private stderrHint(server: string): string {
    const tail = this.lastStderr.get(server);
    return tail?.length ? ` Its stderr ended with:\n${tail.slice(-5).join("\n")}\n` : "";
  }

  /** Closes every connection (stdio servers are terminated). Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      pending.map(async (p) => {
        const connection = await p.catch(() => undefined);
        await connection?.client.close().catch(() => {});
      }),
    );
  }

  /** Alias of `close()` for hosts that dispose services uniformly. */
  dispose(): Promise<void> {
    return this.close();
  }
}

/** URLs may carry tokens in the query string or userinfo; never echo them. */
function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
