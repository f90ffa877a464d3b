import path from "node:path";
import { Agent, type AgentEvent, type AutoApprove, type Session } from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import { type CliIO, readAll } from "../io.js";
import { createJsonRenderer } from "../output/json-renderer.js";
import { createTextRenderer } from "../output/text-renderer.js";
import { createRuntime } from "../wiring/runtime.js";

export interface RunOptions {
  prompt: string[];
  model?: string;
  continue?: boolean;
  session?: string;
  json?: boolean;
  maxSteps?: number;
  yes?: boolean;
  autoApprove?: AutoApprove;
  compact?: boolean;
  cwd?: string;
}

async function readPrompt(options: RunOptions, io: CliIO): Promise<string> {
  const words = options.prompt ?? [];
  if (words.length === 1 && words[0] === "-") return (await readAll(io.stdin)).trim();
  if (words.length === 0 && io.stdin.isTTY === false) return (await readAll(io.stdin)).trim();
  return words.join(" ").trim();
}

/** `codetether run`: one prompt through the full agent loop, text or NDJSON out. */
export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  const prompt = await readPrompt(options, io);
  if (!prompt) {
    throw new CliError(
      'No prompt given. Usage: codetether run "your prompt"  (or pipe it: echo ... | codetether run -)',
      ExitCode.Usage,
    );
  }
  if (options.continue && options.session)
    throw new CliError("Use either --continue or --session, not both.", ExitCode.Usage);
  const cwd = path.resolve(io.cwd, options.cwd ?? ".");
  const autoApprove: AutoApprove | undefined = options.yes ? "all" : options.autoApprove;
  const runtime = createRuntime({ cwd, env: io.env, ...(autoApprove ? { autoApprove } : {}) });

  let session: Session | undefined;
  if (options.session) {
    try {
      session = await runtime.store.load(options.session);
    } catch (err) {
      throw new CliError((err as Error).message, ExitCode.Usage);
    }
  } else if (options.continue) {
    session = await runtime.store.latestFor(cwd);
    if (!session)
      throw new CliError(
        `No earlier session in ${cwd} to continue. Start one without --continue.`,
        ExitCode.Usage,
      );
  }

  const { provider, model, info } = await runtime.resolveModel(
    options.model ?? (session?.model || undefined),
  );
  const tools = await runtime.tools({ provider, model });
  const config = runtime.loaded.config;
  const agent = new Agent({
    provider,
    model,
    ...(info ? { modelInfo: info } : {}),
    tools,
    cwd,
    workspaceRoot: runtime.workspaceRoot,
    maxSteps: options.maxSteps ?? config.agent.max_steps,
    maxRetries: config.agent.max_retries,
    idleTimeoutMs: config.agent.request_timeout_ms,
    ...(config.agent.system_prompt ? { systemPrompt: config.agent.system_prompt } : {}),
    ...(session ? { session } : {}),
    store: runtime.store,
    services: { gate: runtime.gate, provider, model, tools, store: runtime.store },
  });

  const render = options.json ? createJsonRenderer(io.stdout) : createTextRenderer(io);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) controller.abort(new Error("interrupted"));
    else process.exit(ExitCode.Interrupted);
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  let last: AgentEvent | undefined;
  try {
    for await (const event of agent.run(prompt, { signal: controller.signal })) {
      render(event);
      last = event;
    }
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
  if (last?.type === "done") return ExitCode.Success;
  if (last?.type === "error" && last.kind === "aborted") return ExitCode.Interrupted;
  return ExitCode.Failure;
}
