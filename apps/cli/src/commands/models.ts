import type { CliIO } from "../io.js";
import { createRuntime } from "../wiring/runtime.js";

/** `codetether models [provider]`: wiring only; the logic is `@codetether/providers`' `runModelsCommand`. */
export async function modelsCommand(
  options: { json?: boolean; provider?: string },
  io: CliIO,
): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env });
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
