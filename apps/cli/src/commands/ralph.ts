import path from "node:path";
import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { createRuntime, modelDeps } from "../wiring/runtime.js";
import { usingRuntime } from "../wiring/using-runtime.js";

/** `codetether ralph run`: PRD-driven autonomous development (logic in `@codetether/ralph`). */
export async function ralphRunCommand(
  options: { prd?: string; model?: string; maxIterations?: number; maxSteps?: number; json?: boolean },
  io: CliIO,
): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env, autoApprove: "all" });
  return usingRuntime(runtime, async () => {
    const deps = await modelDeps(runtime, options.model);
    const { runRalphCommand } = await import("@codetether/ralph");
    return withInterrupt((signal) => runRalphCommand(options, { ...deps, cwd: io.cwd, signal }, io));
  });
}

/** `codetether ralph create-prd`. */
export async function ralphCreatePrdCommand(
  options: {
    feature: string;
    projectName: string;
    output?: string;
    description?: string;
    model?: string;
    force?: boolean;
  },
  io: CliIO,
): Promise<number> {
  const { createPrdCommand } = await import("@codetether/ralph");
  const runtime = createRuntime({ cwd: io.cwd, env: io.env });
  return usingRuntime(runtime, () =>
    withInterrupt((signal) =>
      createPrdCommand(
        options,
        {
          cwd: io.cwd,
          signal,
          resolveModel: async (model?: string) => {
            const r = await runtime.resolveModel(model);
            return { provider: r.provider, model: r.model, ...(r.info ? { modelInfo: r.info } : {}) };
          },
        },
        io,
      ),
    ),
  );
}

/** `codetether ralph status`. */
export async function ralphStatusCliCommand(
  options: { prd?: string; json?: boolean },
  io: CliIO,
): Promise<number> {
  const { ralphStatusCommand } = await import("@codetether/ralph");
  return ralphStatusCommand(options, { cwd: path.resolve(io.cwd) }, io);
}
