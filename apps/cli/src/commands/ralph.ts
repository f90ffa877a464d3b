import path from "node:path";
import type { createPrdCommand } from "@codetether/ralph";
import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { createRuntime, modelChoice, modelDeps } from "../wiring/runtime.js";
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
    // The quality checks run project scripts the story agents may have rewritten: in bash's sandbox when it is on.
    const sandbox = await runtime.security.commandSandbox();
    return withInterrupt((signal) =>
      runRalphCommand(
        options,
        {
          ...deps,
          cwd: io.cwd,
          signal,
          ...(runtime.hooks ? { hooks: runtime.hooks } : {}),
          ...(sandbox ? { sandbox } : {}),
        },
        io,
      ),
    );
  });
}

/** `codetether ralph create-prd`. */
export async function ralphCreatePrdCommand(
  options: Parameters<typeof createPrdCommand>[0],
  io: CliIO,
): Promise<number> {
  const { createPrdCommand: create } = await import("@codetether/ralph");
  const runtime = createRuntime({ cwd: io.cwd, env: io.env });
  return usingRuntime(runtime, () =>
    withInterrupt((signal) =>
      create(
        options,
        {
          cwd: io.cwd,
          signal,
          resolveModel: async (model?: string) => modelChoice(await runtime.resolveModel(model)),
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
