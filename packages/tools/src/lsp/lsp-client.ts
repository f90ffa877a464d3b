import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ConfinementError, type ConfinementPolicy, openFileConfined } from "@codetether/core";
import type { MessageConnection } from "vscode-jsonrpc/node";
import type {
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  ServerCapabilities,
} from "vscode-languageserver-protocol";
import type { SandboxService } from "../util/services.js";
import { CLIENT_CAPABILITIES } from "./lsp-capabilities.js";
import { serverInstallRoots } from "./server-install-roots.js";

let jsonRpc: Promise<typeof import("vscode-jsonrpc/node")> | undefined;
function loadJsonRpc(): Promise<typeof import("vscode-jsonrpc/node")> {
  jsonRpc ??= import("vscode-jsonrpc/node");
  return jsonRpc;
}

export interface LspClientOptions {
  command: string;
  args: string[];
  root: string;
  initializationOptions?: Record<string, unknown> | undefined;
  requestTimeoutMs?: number;
  env?: Record<string, string>;
  /**
   * The sandbox `bash` runs in, when it is on: the server then runs inside it. A language server runs project
   * code (a `node_modules/.bin` server, the workspace's TypeScript, build scripts), which the model may have written.
   */
  sandbox?: SandboxService;
}

/** One argv as a shell command line (single-quoted words), `exec`ed so the shell does not stay in between. */
const shellLine = (argv: string[]) => `exec ${argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ")}`;

interface OpenDocument {
  version: number;
  text: string;
  mtimeMs: number;
  size: number;
}

interface StoredDiagnostics {
  seq: number;
  version: number | undefined;
  items: Diagnostic[];
}

export const fileUri = (file: string): string => pathToFileURL(file).href;

/** One running language server over stdio, with document sync and diagnostics tracking. */
export class LspClient {
  capabilities: ServerCapabilities = {};
  private readonly documents = new Map<string, OpenDocument>();
  private readonly diagnostics = new Map<string, StoredDiagnostics>();
  private readonly diagnosticWaiters = new Set<() => void>();
  private publishSeq = 0;
  private readonly stderrTail: string[] = [];
  private exited: string | undefined;

  private constructor(
    private readonly process: ChildProcess,
    private readonly connection: MessageConnection,
    readonly root: string,
    private readonly requestTimeoutMs: number,
  ) {}

  static async start(options: LspClientOptions): Promise<LspClient> {
    // Loaded on first use: most runs never start a language server, so start-up does not pay for it.
    const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await loadJsonRpc();
    const env = { ...process.env, ...options.env };
    const launch = options.sandbox
      ? await options.sandbox.wrap(shellLine([options.command, ...options.args]), {
          cwd: options.root,
          env,
          timeoutMs: 0, // a server runs until it is shut down
          readablePaths: serverInstallRoots(options.command),
        })
      : { file: options.command, args: options.args, env };
    const child = spawn(launch.file, launch.args, {
      cwd: options.root,
      stdio: ["pipe", "pipe", "pipe"],
      env: launch.env ?? env,
    });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new LspClient(child, connection, options.root, options.requestTimeoutMs ?? 30_000);
    client.wire();
    const spawned = new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    await spawned;
    connection.listen();
    const result = await client.request<InitializeResult>("initialize", {
      // Inside the sandbox's pid namespace our pid does not exist: a server watching it would exit at once.
      processId: options.sandbox ? null : process.pid,
      clientInfo: { name: "codetether" },
      rootUri: fileUri(options.root),
      rootPath: options.root,
      workspaceFolders: [{ uri: fileUri(options.root), name: options.root.split(/[\\/]/).pop() ?? "root" }],
      capabilities: CLIENT_CAPABILITIES,
      initializationOptions: options.initializationOptions ?? {},
    });
    client.capabilities = result.capabilities;
    await connection.sendNotification("initialized", {});
    return client;
  }

  private wire(): void {
    this.process.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - 20));
    });
    this.process.on("exit", (code, signal) => {
      this.exited = `exited with ${signal ?? `code ${code}`}`;
      this.connection.dispose();
      for (const wake of this.diagnosticWaiters) wake();
    });
    this.process.on("error", (err) => {
      this.exited = `failed: ${err.message}`;
    });
    // The stdin pipe errors with EPIPE when the server dies mid-write; the exit handler reports it.
    this.process.stdin?.on("error", () => {});
    this.connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, {
        seq: ++this.publishSeq,
        version: params.version,
        items: params.diagnostics,
      });
      for (const wake of this.diagnosticWaiters) wake();
    });
    // Requests servers send to clients: answer so they do not stall.
    this.connection.onRequest("workspace/configuration", (params: { items?: unknown[] }) =>
      (params.items ?? []).map(() => null),
    );
    this.connection.onRequest("client/registerCapability", () => null);
    this.connection.onRequest("client/unregisterCapability", () => null);
    this.connection.onRequest("window/workDoneProgress/create", () => null);
    this.connection.onRequest("window/showMessageRequest", () => null);
    this.connection.onRequest("workspace/applyEdit", () => ({
      applied: false,
      failureReason: "read-only client",
    }));
    this.connection.onRequest("workspace/workspaceFolders", () => [
      { uri: fileUri(this.root), name: this.root.split(/[\\/]/).pop() ?? "root" },
    ]);
    this.connection.onNotification(() => {});
  }

  /** OS process id of the server. */
  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** Why the server is gone, with the end of its stderr. */
  deathReason(): string {
    const tail = this.stderrTail.slice(-5).join("\n");
    return `the language server ${this.exited ?? "stopped"}${tail ? `; its stderr ended with:\n${tail}` : ""}`;
  }

  async request<R>(method: string, params: unknown, signal?: AbortSignal): Promise<R> {
    if (!this.alive) throw new Error(`Cannot send ${method}: ${this.deathReason()}`);
    const { CancellationTokenSource } = await loadJsonRpc();
    const source = new CancellationTokenSource();
    const timer = setTimeout(() => source.cancel(), this.requestTimeoutMs);
    const onAbort = () => source.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await this.connection.sendRequest<R>(method, params, source.token);
    } catch (err) {
      if (!this.alive) throw new Error(`${method} failed: ${this.deathReason()}`);
      if (source.token.isCancellationRequested && !signal?.aborted) {
        throw new Error(
          `${method} timed out after ${this.requestTimeoutMs / 1000}s (the server may still be indexing).`,
        );
      }
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      source.dispose();
    }
  }

  /**
   * Makes the server's view of `file` match the disk: didOpen the first time, didChange (full text,
   * next version) when it changed since. Returns whether anything was sent.
   */
  async sync(file: string, languageId: string, policy?: ConfinementPolicy): Promise<boolean> {
    const uri = fileUri(file);
    // One confined open (outside the sandbox): a document swapped for a symlink out of the roots since it was
    // opened — or a FIFO — is refused, never read through and sent to the server (which the model may have planted).
    const { handle } = await openFileConfined(file, policy ?? { roots: [this.root] });
    let stat: Awaited<ReturnType<typeof handle.stat>>;
    let text: string;
    try {
      stat = await handle.stat();
      const open = this.documents.get(uri);
      if (open && open.mtimeMs === stat.mtimeMs && open.size === stat.size) return false;
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
    const open = this.documents.get(uri);
    if (!open) {
      this.documents.set(uri, { version: 1, text, mtimeMs: stat.mtimeMs, size: stat.size });
      await this.connection.sendNotification("textDocument/didOpen", {
        textDocument: { uri, languageId, version: 1, text },
      });
      return true;
    }
    if (open.text === text) {
      Object.assign(open, { mtimeMs: stat.mtimeMs, size: stat.size });
      return false;
    }
    const version = open.version + 1;
    this.documents.set(uri, { version, text, mtimeMs: stat.mtimeMs, size: stat.size });
    await this.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return true;
  }

  /** Re-syncs every open document that changed on disk (edits by other tools), closing deleted ones. */
  async syncOpenDocuments(
    languageIdFor: (file: string) => string | undefined,
    policy?: ConfinementPolicy,
  ): Promise<void> {
    for (const uri of [...this.documents.keys()]) {
      const file = fileURLToPath(uri);
      const exists = await fs
        .stat(file)
        .then(() => true)
        .catch(() => false);
      if (!exists) {
        this.documents.delete(uri);
        await this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
        continue;
      }
      const languageId = languageIdFor(file);
      if (!languageId) continue;
      try {
        await this.sync(file, languageId, policy);
      } catch (err) {
        if (!(err instanceof ConfinementError)) throw err;
        // No longer a file the tool may read: the server forgets it rather than seeing what it points to now.
        this.documents.delete(uri);
        await this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
      }
    }
  }

  documentText(file: string): string | undefined {
    return this.documents.get(fileUri(file))?.text;
  }

  /** Current publish counter; pass it to `waitForDiagnostics` to wait for a newer publication. */
  diagnosticsSeq(): number {
    return this.publishSeq;
  }

  /**
   * Diagnostics for `file` published after `afterSeq`. Servers publish in stages (syntax, then semantic),
   * so after the first publication we wait for `quietMs` without a new one before answering.
   */
  async waitForDiagnostics(
    file: string,
    afterSeq: number,
    options: { timeoutMs: number; quietMs: number; signal?: AbortSignal },
  ): Promise<{ items: Diagnostic[]; timedOut: boolean }> {
    const uri = fileUri(file);
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      if (!this.alive) throw new Error(`No diagnostics: ${this.deathReason()}`);
      if (options.signal?.aborted) throw new Error("cancelled");
      const stored = this.diagnostics.get(uri);
      const fresh = stored !== undefined && stored.seq > afterSeq;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { items: stored?.items ?? [], timedOut: !fresh };
      if (!fresh) {
        await this.nextPublication(remaining, options.signal);
        continue;
      }
      // Fresh results exist: answer once the server has been quiet for `quietMs`.
      if (!(await this.nextPublication(Math.min(options.quietMs, remaining), options.signal))) {
        return { items: this.diagnostics.get(uri)?.items ?? stored.items, timedOut: false };
      }
    }
  }

  /** Resolves true on the next publication (or server exit / abort), false after `ms` of silence. */
  private nextPublication(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (published: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", wake);
        this.diagnosticWaiters.delete(wake);
        resolve(published);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.diagnosticWaiters.add(wake);
      signal?.addEventListener("abort", wake, { once: true });
    });
  }

  /** Polite shutdown (shutdown request + exit), then SIGKILL if the server lingers. */
  async shutdown(): Promise<void> {
    if (this.alive) {
      const exited = new Promise<void>((resolve) => this.process.once("exit", () => resolve()));
      try {
        await Promise.race([
          this.connection.sendRequest("shutdown").then(() => this.connection.sendNotification("exit")),
          new Promise((resolve) => setTimeout(resolve, 2000)),
        ]);
      } catch {
        // The server may already be gone; the kill below handles it.
      }
      const killer = setTimeout(() => this.process.kill("SIGKILL"), 2000);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2500))]);
      clearTimeout(killer);
    }
    this.connection.dispose();
  }
}
