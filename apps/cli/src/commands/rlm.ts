import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { createRuntime, modelChoice } from "../wiring/runtime.js";
import { usingRuntime } from "../wiring/using-runtime.js";

export interface RlmCliOptions {
  question: string[];
  file?: string[];
  content?: string;
  contentType?: string;
  json?: boolean;
  model?: string;
  maxIterations?: number;
  maxDepth?: number;
  verbose?: boolean;
}

/** `codetether rlm "question" -f file...`: recursive exploration of content larger than the context. */
export async function rlmCommand(options: RlmCliOptions, io: CliIO): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env });
  const { runRlmCommand } = await import("@codetether/rlm");
  const contentType = options.contentType as Parameters<typeof runRlmCommand>[0]["contentType"];
  return usingRuntime(runtime, () =>
    withInterrupt((signal) =>
      runRlmCommand(
        {
          question: options.question.join(" "),
          ...(options.file?.length ? { files: options.file } : {}),
          ...(options.content === "-"
            ? { contentStdin: true }
            : options.content !== undefined
              ? { content: options.content }
              : {}),
          ...(contentType ? { contentType } : {}),
          ...(options.json ? { json: true } : {}),
          ...(options.model ? { model: options.model } : {}),
          ...(options.maxIterations ? { maxIterations: options.maxIterations } : {}),
          ...(options.maxDepth ? { maxDepth: options.maxDepth } : {}),
          ...(options.verbose ? { verbose: true } : {}),
        },
        {
          stdin: io.stdin,
          stdout: io.stdout,
          stderr: io.stderr,
          signal,
          resolveModel: async (model) => {
            const r = await runtime.resolveModel(model);
            const toolRouter = await runtime.toolRouterHook(r.info);
            return { ...modelChoice(r), ...(toolRouter ? { toolRouter } : {}) };
          },
        },
      ),
    ),
  );
}
