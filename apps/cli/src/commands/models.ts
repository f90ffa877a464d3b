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
