import path from "node:path";
import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { createRuntime, modelChoice, modelDeps } from "../wiring/runtime.js";
import { usingRuntime } from "../wiring/using-runtime.js";

export interface SwarmCliOptions {
  task: string[];
  strategy?: string;
  maxSubagents?: number;
  maxSteps?: number;
  timeout?: number;
  model?: string;
  json?: boolean;
  worktrees?: boolean;
  cwd?: string;
  agent?: string;
}

/** `codetether swarm "task"`: wiring only; the logic is `@codetether/swarm`. */
export async function swarmCommand(options: SwarmCliOptions, io: CliIO): Promise<number> {
  const cwd = path.resolve(io.cwd, options.cwd ?? ".");
  const runtime = createRuntime({ cwd, env: io.env, autoApprove: "all" });
  return usingRuntime(runtime, async () => {
    const deps = await modelDeps(runtime, options.model);
    const { runSwarmCommand } = await import("@codetether/swarm");
    return withInterrupt((signal) =>
      runSwarmCommand(
        {
          task: options.task.join(" "),
          ...(options.strategy ? { strategy: options.strategy } : {}),
          ...(options.maxSubagents ? { maxSubagents: options.maxSubagents } : {}),
          ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}),
          ...(options.timeout ? { timeoutMs: options.timeout * 1000 } : {}),
          ...(options.model ? { model: options.model } : {}),
          ...(options.json ? { json: true } : {}),
          ...(options.worktrees ? { worktrees: true } : {}),
          ...(options.agent ? { agent: options.agent } : {}),
        },
        {
          ...deps,
          cwd,
          signal,
          store: runtime.store,
          ...(runtime.hooks ? { hooks: runtime.hooks } : {}),
          // --agent: the swarm tool's code path, with the same trust as the runtime gives the tool.
          agentDirs: {
            projectRoot: runtime.workspaceRoot,
            userConfigDir: path.dirname(runtime.loaded.userFile),
            projectTrusted: runtime.loaded.projectTrust.trustsFile,
          },
          resolveAgentModel: async (model) => modelChoice(await runtime.resolveModel(model)),
        },
        io,
      ),
    );
  });
}
