import {
  type Agent,
  type AgentOptions,
  type AutoApprove,
  type Provider,
  type SessionStore,
  sanitizeTerminalText,
  type ToolRegistry,
} from "@codetether/core";
import type { CommandIO } from "../client/a2a-send-command.js";
import type { A2ABinding } from "../client/send-message.js";
import type { WorkerModel } from "./platform-client.js";
import { runWorker } from "./run-worker.js";
import { a2aForwardRunner, localAgentRunner } from "./task-runners.js";

export interface WorkerCommandOptions {
  /** `--server` (else `CODETETHER_SERVER`). */
  server?: string;
  /** `--token` (else `CODETETHER_TOKEN`). */
  token?: string;
  /** `--name` (else `CODETETHER_WORKER_NAME`, else `codetether-<pid>`). */
  name?: string;
  /** `--codebases a,b` (default cwd). */
  codebases?: string[];
  /** `--auto-approve all|safe|none` (default safe). */
  autoApprove?: string;
  /** `--a2a-url <agent>`: generic mode, forward tasks to this A2A agent instead of running them locally. */
  a2aUrl?: string;
  a2aToken?: string;
  /** `--a2a-binding jsonrpc|rest|grpc`: the binding used to reach `a2aUrl` (default JSON-RPC). */
  a2aBinding?: A2ABinding;
  /** Local execution: the configured model and tools (wire createProviderRegistry / createDefaultTools). */
  provider?: Provider;
  model?: string;
  createTools?: (context: { cwd: string; autoApprove: AutoApprove }) => ToolRegistry | Promise<ToolRegistry>;
  /** Builds each task's agent (e.g. the runtime's, whose events are masked of known secrets). */
  createAgent?: (options: AgentOptions) => Agent;
  sessions?: SessionStore;
  cwd?: string;
  models?: WorkerModel[];
  env?: Record<string, string | undefined>;
  /** Stops the worker (the CLI wires SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

const MODES = new Set(["all", "safe", "none"]);

/** `codetether worker --server URL`: runs until `signal` aborts. Exit 0 on stop, 2 on bad usage. */
export async function runWorkerCommand(options: WorkerCommandOptions, io: CommandIO): Promise<number> {
  const env = options.env ?? process.env;
  const server = options.server ?? env.CODETETHER_SERVER;
  if (!server) {
    io.stderr.write("error: no platform URL; pass --server <url> or set CODETETHER_SERVER.\n");
    return 2;
  }
  try {
    new URL(server);
  } catch {
    io.stderr.write(`error: --server "${server}" is not an absolute URL.\n`);
    return 2;
  }
  const autoApprove = options.autoApprove ?? "safe";
  if (!MODES.has(autoApprove)) {
    io.stderr.write(`error: --auto-approve must be all, safe or none (got "${autoApprove}").\n`);
    return 2;
  }
  const cwd = options.cwd ?? process.cwd();
  let runner: ReturnType<typeof localAgentRunner>;
  if (options.a2aUrl) {
    runner = a2aForwardRunner({
      url: options.a2aUrl,
      ...(options.a2aToken ? { token: options.a2aToken } : {}),
      ...(options.a2aBinding ? { binding: options.a2aBinding } : {}),
    });
  } else if (options.provider && options.model) {
    runner = localAgentRunner({
      provider: options.provider,
      model: options.model,
      cwd,
      autoApprove: autoApprove as AutoApprove,
      ...(options.createTools ? { createTools: options.createTools } : {}),
      ...(options.createAgent ? { createAgent: options.createAgent } : {}),
      ...(options.sessions ? { sessions: options.sessions } : {}),
      platform: server.replace(/\/+$/, ""),
    });
  } else {
    io.stderr.write(
      "error: no model configured for local execution; configure a provider or pass --a2a-url.\n",
    );
    return 2;
  }
  let handle: ReturnType<typeof runWorker>;
  try {
    const token = options.token ?? env.CODETETHER_TOKEN;
    const name = options.name ?? env.CODETETHER_WORKER_NAME;
    handle = runWorker({
      server,
      ...(token ? { token } : {}),
      ...(name ? { name } : {}),
      codebases: options.codebases ?? [cwd],
      autoApprove: autoApprove as AutoApprove,
      runner,
      ...(options.models ? { models: options.models } : {}),
      env,
      // Log lines carry what the platform sent (task ids, error bodies): none of it may drive the terminal.
      log: (line) => io.stderr.write(`[worker] ${sanitizeTerminalText(line)}\n`),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 2;
  }
  io.stdout.write(`codetether worker ${handle.workerId} connecting to ${server}\n`);
  await handle.done;
  return 0;
}
