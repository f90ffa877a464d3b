import path from "node:path";
import {
  type AgentEvent,
  type AutoApprove,
  agentToolRegistry,
  type ContentPart,
  compactSession,
  warmProvider,
} from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import { type CliIO, readAll } from "../io.js";
import { createJsonRenderer } from "../output/json-renderer.js";
import { createTextRenderer } from "../output/text-renderer.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { resumeSession } from "../wiring/resume-session.js";
import { agentSettings, createRuntime, type Runtime } from "../wiring/runtime.js";
import { SessionClaims } from "../wiring/session-claims.js";
import { resolveCustom } from "./run-custom.js";
import { attacher, type RunInput, streamJsonInputs } from "./run-input.js";

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
  /** `stream-json`: user turns as NDJSON on stdin (output is then NDJSON events too). */
  inputFormat?: "text" | "stream-json";
  /** Files attached to the prompt (text as file parts, images as image parts). */
  file?: string[];
  /** A custom command (`.codetether/commands/<name>.md`); the prompt words are its arguments. */
  command?: string;
  /** A custom agent (`.codetether/agents/<name>.md`): its system prompt, tools and permissions. */
  agent?: string;
}

async function readPrompt(options: RunOptions, io: CliIO): Promise<string> {
  if (options.inputFormat === "stream-json") {
    if (options.prompt?.length)
      throw new CliError(
        "--input-format stream-json reads the prompts from stdin; drop the prompt argument.",
        ExitCode.Usage,
      );
    if (options.file?.length)
      throw new CliError(
        'With --input-format stream-json, attach files per turn: {"type":"user","text":"…","files":["a.png"]}.',
        ExitCode.Usage,
      );
    return "";
  }
  const words = options.prompt ?? [];
  if (words.length === 1 && words[0] === "-") return (await readAll(io.stdin)).trim();
  if (words.length === 0 && io.stdin.isTTY === false) return (await readAll(io.stdin)).trim();
  return words.join(" ").trim();
}

/** `codetether run`: one prompt through the full agent loop, text or NDJSON out. */
export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  let runtime: Runtime | undefined;
  let claims: SessionClaims | undefined;
  try {
    return await runTurn(options, io, (r, c) => {
      runtime = r;
      claims = c;
    });
  } finally {
    // Releases the session and flushes the audit log and stops secret-store timers, also after errors.
    await claims?.releaseAll();
    await runtime?.close();
  }
}

async function runTurn(
  options: RunOptions,
  io: CliIO,
  onRuntime: (r: Runtime, claims: SessionClaims) => void,
): Promise<number> {
  const streamInput = options.inputFormat === "stream-json";
  const prompt = await readPrompt(options, io);
  if (!prompt && !streamInput && !options.command) {
    throw new CliError(
      'No prompt given. Usage: codetether run "your prompt"  (or pipe it: echo ... | codetether run -)',
      ExitCode.Usage,
    );
  }
  const cwd = path.resolve(io.cwd, options.cwd ?? ".");
  const autoApprove: AutoApprove | undefined = options.yes ? "all" : options.autoApprove;
  const runtime = createRuntime({
    cwd,
    env: io.env,
    stderr: io.stderr,
    ...(autoApprove ? { autoApprove } : {}),
  });
  // One writer per session: another process continuing it is waited for, never overwritten.
  const claims = new SessionClaims(runtime.store, io.stderr);
  onRuntime(runtime, claims);

  const session = await resumeSession(runtime.store, options, cwd, (id) => claims.claim(id));
  // A resumed session keeps the custom agent it was started with unless --agent names another.
  const sessionAgent = typeof session?.metadata.agent === "string" ? session.metadata.agent : undefined;
  const custom = await resolveCustom(
    {
      ...(options.command ? { command: options.command } : {}),
      agent: options.agent ?? sessionAgent,
      prompt,
    },
    {
      projectRoot: runtime.workspaceRoot,
      userConfigDir: path.dirname(runtime.loaded.userFile),
      projectTrusted: runtime.loaded.projectTrust.trustsFile,
    },
    (text) => io.stderr.write(text),
  );

  const { provider, model, info } = await runtime.resolveModel(
    options.model ?? custom.model ?? (session?.model || undefined),
  );
  // The embedded default: its llama.cpp runtime and model are installed now (with consent and progress), not
  // in the middle of the turn.
  if ("installRuntime" in provider) {
    const { prepareLocalDefault } = await import("./models-local-setup.js");
    await prepareLocalDefault(runtime, provider, model, options.yes ? { yes: true } : {}, io);
  }
  // The vendor SDK loads (and its client is built) while the attachments, tools and agent are prepared below.
  warmProvider(provider);
  // Attachments are read before anything runs, so a bad --file fails fast (exit 2) with nothing saved.
  const attach = attacher(cwd, info ? info.supportsVision : undefined, `${provider.id}/${model}`);
  const promptParts: ContentPart[] = streamInput
    ? []
    : [{ type: "text", text: custom.prompt }, ...(await attach(options.file ?? []))];
  const allTools = await runtime.tools();
  const tools = custom.agent ? agentToolRegistry(allTools, custom.agent) : allTools;
  const config = runtime.loaded.config;
  const onResponse = await runtime.toolRouterHook(info);
  const agent = runtime.createAgent({
    provider,
    model,
    ...(info ? { modelInfo: info } : {}),
    tools,
    cwd,
    workspaceRoot: runtime.workspaceRoot,
    ...agentSettings(config),
    ...(custom.agent ? { systemPrompt: custom.agent.systemPrompt } : {}),
    ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}),
    ...(session ? { session } : {}),
    store: runtime.store,
    ...(onResponse ? { onResponse } : {}),
    services: { gate: runtime.gate, provider, model, tools, store: runtime.store },
  });

  await claims.claim(agent.session.id);
  if (custom.agent) agent.session.metadata.agent = custom.agent.name;
  await runtime.security.audit({
    actor: "user",
    action: session ? "session.continued" : "session.created",
    resource: agent.session.id,
    outcome: "success",
    details: { cwd, model: `${provider.id}/${model}` },
  });

  if (options.compact && agent.session.messages.length > 0) {
    await compactSession({
      session: agent.session,
      provider,
      model,
      force: true,
      ...(info ? { modelInfo: info } : {}),
      beforeSummarize: () =>
        agent.preCompactHooks("manual", new AbortController().signal, (event) => {
          if (event.type === "hook-notice")
            io.stderr.write(`codetether: hook (${event.event}): ${event.message}\n`);
        }),
    });
    await runtime.store.save(agent.session);
  }

  const json = options.json || streamInput;
  const render = json ? createJsonRenderer(io.stdout) : createTextRenderer(io);
  let last: AgentEvent | undefined;
  let invalidInput = false;
  let failedTurn = false;
  let interrupted = false;
  await withInterrupt(async (signal) => {
    const inputs: AsyncIterable<RunInput> = streamInput
      ? streamJsonInputs(io.stdin, attach, signal)
      : (async function* () {
          yield { parts: promptParts };
        })();
    for await (const input of inputs) {
      if ("invalid" in input) {
        invalidInput = true;
        render({ type: "error", sessionId: agent.session.id, message: input.invalid, kind: "invalid-input" });
        continue;
      }
      for await (const event of agent.run(input.parts, { signal })) {
        render(event);
        last = event;
      }
      if (last?.type === "error") {
        if (last.kind === "aborted") break;
        failedTurn = true;
      }
    }
    interrupted = signal.aborted;
  });
  const end = last as AgentEvent | undefined;
  if (end?.type === "error" && end.kind !== "aborted") {
    const hint = await runtime.setupHint();
    if (hint) io.stderr.write(`\n${hint}\n`);
  }
  if (interrupted || (end?.type === "error" && end.kind === "aborted")) return ExitCode.Interrupted;
  if (failedTurn) return ExitCode.Failure;
  if (invalidInput) return ExitCode.Usage;
  // stream-json with no lines at all ran nothing and failed nothing.
  if (end?.type === "done" || (streamInput && !end)) return ExitCode.Success;
  return ExitCode.Failure;
}
