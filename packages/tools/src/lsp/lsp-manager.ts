import path from "node:path";
import type { SandboxService } from "../util/services.js";
import {
  type LanguageSpec,
  type LspLanguage,
  languageFor,
  projectRoot,
  resolveServer,
  type ServerCommand,
  supportedExtensions,
} from "./language-servers.js";
import { LspClient } from "./lsp-client.js";

export interface LspManagerOptions {
  /** Replaces the built-in server choice per language (e.g. `{ python: { command: "pylsp", args: [] } }`). */
  servers?: Partial<Record<LspLanguage, ServerCommand>>;
  /** Extra directories searched for server executables after `node_modules/.bin` and PATH. */
  extraBinDirs?: string[];
  /** Per-request timeout. */
  requestTimeoutMs?: number;
  /** How long `diagnostics` waits for the server to publish. */
  diagnosticsTimeoutMs?: number;
  env?: Record<string, string>;
}

export interface LspSession {
  client: LspClient;
  spec: LanguageSpec;
  languageId: string;
  root: string;
}

/** Thrown when a file's language has no server; the message says what to install. */
export class LspUnavailableError extends Error {
  override name = "LspUnavailableError";
}

/**
 * Keeps language servers warm: one server per (project root, language), started on first use, shared by
 * every later call, replaced if it dies, and shut down by `dispose()`.
 */
export class LspManager {
  private readonly clients = new Map<string, Promise<LspClient>>();
  private disposed = false;

  constructor(readonly options: LspManagerOptions = {}) {}

  get diagnosticsTimeoutMs(): number {
    return this.options.diagnosticsTimeoutMs ?? 20_000;
  }

  /**
   * The warm server for `file` (absolute path), starting it if needed. With `sandbox` (the tool call's
   * `services.sandbox`) the server runs inside it.
   */
  async sessionFor(file: string, workspaceRoot: string, sandbox?: SandboxService): Promise<LspSession> {
    if (this.disposed) throw new Error("The LSP manager has been disposed.");
    const match = languageFor(file);
    if (!match) {
      throw new LspUnavailableError(
        `No language server is known for "${path.extname(file) || path.basename(file)}" files. ` +
          `Supported extensions: ${supportedExtensions().join(" ")}.`,
      );
    }
    const { spec, languageId } = match;
    const root = await projectRoot(file, workspaceRoot, spec.rootMarkers);
    const key = `${spec.language}\0${root}\0${sandbox ? "sandboxed" : "host"}`;
    let pending = this.clients.get(key);
    if (pending) {
      const client = await pending.catch(() => undefined);
      if (!client?.alive) {
        this.clients.delete(key);
        pending = undefined;
      }
    }
    if (!pending) {
      pending = this.start(spec, root, sandbox);
      this.clients.set(key, pending);
      pending.catch(() => {
        if (this.clients.get(key) === pending) this.clients.delete(key);
      });
    }
    return { client: await pending, spec, languageId, root };
  }

  private async start(spec: LanguageSpec, root: string, sandbox?: SandboxService): Promise<LspClient> {
    const override = this.options.servers?.[spec.language];
    const server = await resolveServer(spec, root, {
      ...(override ? { override } : {}),
      ...(this.options.extraBinDirs ? { extraBinDirs: this.options.extraBinDirs } : {}),
    });
    if ("error" in server) throw new LspUnavailableError(server.error);
    try {
      return await LspClient.start({
        command: server.command,
        args: server.args,
        root,
        initializationOptions: spec.initializationOptions?.(root),
        ...(this.options.requestTimeoutMs ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}),
        ...(this.options.env ? { env: this.options.env } : {}),
        ...(sandbox ? { sandbox } : {}),
      });
    } catch (err) {
      throw new Error(
        `Could not start the ${spec.language} language server (${server.command}) in ${root}: ${(err as Error).message}`,
      );
    }
  }

  /** Number of servers currently running or starting. */
  get size(): number {
    return this.clients.size;
  }

  /** Shuts every server down. Idempotent. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const pending = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(
      pending.map(async (p) => {
        const client = await p.catch(() => undefined);
        await client?.shutdown();
      }),
    );
  }
}
