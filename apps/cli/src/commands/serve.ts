import { dataDir } from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { createRuntime, modelChoice } from "../wiring/runtime.js";
import { usingRuntime } from "../wiring/using-runtime.js";

export interface ServeCliOptions {
  host?: string;
  port?: number;
  /** gRPC port (0 disables; default HTTP port + 1). */
  grpcPort?: number;
  showToken?: boolean;
  a2aConformance?: boolean;
  model?: string;
  /** The CLI's version: the agent card and /health report it. */
  version?: string;
}

/**
 * `codetether serve`: wiring only. Resolves the model through the runtime (skipped with
 * `--a2a-conformance`, whose executor needs no model) and runs `@codetether/server`'s `runServeCommand`
 * until Ctrl+C / SIGTERM. Every A2A task takes its tools and agent from the runtime: the configured rules,
 * the sandbox, the audit log and secret redaction apply as they do in `run`.
 */
export async function serveCommand(options: ServeCliOptions, io: CliIO): Promise<number> {
  const { runServeCommand, serverOptionsFromEnv } = await import("@codetether/server");
  let fromEnv: ReturnType<typeof serverOptionsFromEnv>;
  try {
    fromEnv = serverOptionsFromEnv(io.env);
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.Usage);
  }
  const runtime = createRuntime({ cwd: io.cwd, env: io.env, stderr: io.stderr });
  const model = options.a2aConformance ? undefined : await runtime.resolveModel(options.model);
  return usingRuntime(runtime, () =>
    withInterrupt((signal) =>
      runServeCommand(
        {
          ...fromEnv,
          dataDir: dataDir(io.env),
          cwd: runtime.workspaceRoot,
          sessions: runtime.store,
          runtime,
          ...(options.host ? { host: options.host } : {}),
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.grpcPort !== undefined ? { grpcPort: options.grpcPort } : {}),
          ...(options.showToken ? { showToken: true } : {}),
          ...(options.version ? { version: options.version } : {}),
          ...(options.a2aConformance ? { a2aConformance: true } : {}),
          ...(model ? modelChoice(model) : {}),
          taskRetention: {
            retentionDays: runtime.loaded.config.server.task_retention_days,
            maxTasks: runtime.loaded.config.server.max_tasks,
          },
          env: io.env,
          signal,
        },
        io,
      ),
    ),
  );
}
