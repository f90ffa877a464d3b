import { ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { createRuntime, type Runtime } from "../wiring/runtime.js";
import { usingRuntime } from "../wiring/using-runtime.js";

/** `codetether models [provider]`: wiring only; the logic is `@codetether/providers`' `runModelsCommand`. */
export async function modelsCommand(
  options: { json?: boolean; provider?: string },
  io: CliIO,
): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env });
  return usingRuntime(runtime, () => listModels(runtime, options, io));
}

async function listModels(
  runtime: Runtime,
  options: { json?: boolean; provider?: string },
  io: CliIO,
): Promise<number> {
  const registry = await runtime.providers();
  const { runModelsCommand } = await import("@codetether/providers");
  return runModelsCommand(
    {
      registry,
      config: runtime.loaded.config,
      ...(options.provider ? { provider: options.provider } : {}),
      ...(options.json ? { json: true } : {}),
    },
    io,
  );
}

/**
 * `codetether models --pull --router`: fetches the tool router's model now (the configured `[tool_router]
 * model_path`, else the published FunctionGemma default) with progress, and prints its file. Exit codes: 0 ready,
 * 1 download failed or offline (the message says where to put the file), 2 bad config, 130 cancelled.
 */
export async function pullRouterModelCommand(io: CliIO, signal: AbortSignal): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env });
  return usingRuntime(runtime, async () => {
    const [{ downloadProgressPrinter }, { pullRouterModel, ToolRouterConfigError }] = await Promise.all([
      import("@codetether/core"),
      import("@codetether/tool-router"),
    ]);
    try {
      const file = await pullRouterModel({
        env: io.env,
        config: runtime.loaded.config.tool_router,
        onProgress: downloadProgressPrinter((text) => io.stderr.write(text), Boolean(io.stderr.isTTY)),
        signal,
      });
      io.stdout.write(`${file}\n`);
      return ExitCode.Success;
    } catch (err) {
      if (signal.aborted) {
        io.stderr.write("codetether models --pull --router: cancelled.\n");
        return ExitCode.Interrupted;
      }
      io.stderr.write(`codetether models --pull --router: ${(err as Error).message}\n`);
      return err instanceof ToolRouterConfigError ? ExitCode.Usage : ExitCode.Failure;
    }
  });
}
