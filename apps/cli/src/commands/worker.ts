import type { AgentOptions, AutoApprove } from "@codetether/core";
import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { createRuntime } from "../wiring/runtime.js";
import { usingRuntime } from "../wiring/using-runtime.js";

const BINDINGS = { jsonrpc: "JSONRPC", rest: "HTTP+JSON", grpc: "GRPC" } as const;

export interface WorkerCliOptions {
  server?: string;
  token?: string;
  name?: string;
  autoApprove?: string;
  a2aUrl?: string;
  a2aToken?: string;
  /** `--a2a-binding jsonrpc|rest|grpc` for `--a2a-url`. */
  a2aBinding?: "jsonrpc" | "rest" | "grpc";
  model?: string;
  codebases?: string[];
}

/**
 * `codetether worker --server URL`: wiring only. Local execution uses the configured model and the runtime's
 * tools (permission rules, sandbox, audit log, secret redaction, as in `run`); `--a2a-url` forwards tasks to
 * an A2A agent instead.
 */
export async function workerCommand(options: WorkerCliOptions, io: CliIO): Promise<number> {
  const { runWorkerCommand } = await import("@codetether/a2a");
  const runtime = createRuntime({ cwd: io.cwd, env: io.env, stderr: io.stderr });
  const local = options.a2aUrl ? undefined : await runtime.resolveModel(options.model);
  return usingRuntime(runtime, () =>
    withInterrupt((signal) =>
      runWorkerCommand(
        {
          ...(options.server ? { server: options.server } : {}),
          ...(options.token ? { token: options.token } : {}),
          ...(options.name ? { name: options.name } : {}),
          ...(options.autoApprove ? { autoApprove: options.autoApprove } : {}),
          ...(options.a2aUrl ? { a2aUrl: options.a2aUrl } : {}),
          ...(options.a2aToken ? { a2aToken: options.a2aToken } : {}),
          ...(options.a2aBinding ? { a2aBinding: BINDINGS[options.a2aBinding] } : {}),
          ...(options.codebases?.length ? { codebases: options.codebases } : {}),
          ...(local
            ? {
                provider: local.provider,
                model: local.model,
                models: [
                  {
                    id: `${local.provider.id}/${local.model}`,
                    name: local.model,
                    provider: local.provider.id,
                    provider_id: local.provider.id,
                  },
                ],
                createTools: ({ autoApprove }: { cwd: string; autoApprove: AutoApprove }) =>
                  runtime.createTools({ gate: runtime.createGate({ autoApprove }) }),
                createAgent: (agentOptions: AgentOptions) => runtime.createAgent(agentOptions),
              }
            : {}),
          sessions: runtime.store,
          cwd: io.cwd,
          env: io.env,
          signal,
        },
        io,
      ),
    ),
  );
}
