import { sanitizeTerminalText, toJsonText, toolHooksOnly } from "@codetether/core";
import type { SwarmStrategy } from "../decompose/subtask.js";
import { SwarmStrategySchema } from "../decompose/subtask.js";
import { startSwarm } from "../swarm.js";
import {
  type ResolveAgentModel,
  resolveSwarmAgent,
  type SwarmAgent,
  type SwarmAgentProblem,
  subAgentTools,
} from "../swarm-agent.js";
import type { CommandIO, SwarmCommandDeps } from "./command-io.js";
import { formatEventLine, formatSummary } from "./format.js";
import { LiveView } from "./live-view.js";

export interface SwarmCommandOptions {
  task: string;
  strategy?: SwarmStrategy | string;
  maxSubagents?: number;
  maxSteps?: number;
  /** Per sub-agent, in milliseconds. */
  timeoutMs?: number;
  model?: string;
  json?: boolean;
  worktrees?: boolean;
  /** A custom agent every sub-agent runs as (prompt, tool allow-list, permissions; its model unless `model` is set). */
  agent?: string;
}

/** `--agent <name>` through the same code path as the swarm tool's `agent` parameter. */
function swarmAgent(
  name: string,
  deps: SwarmCommandDeps,
  resolveModel: ResolveAgentModel | undefined,
): Promise<SwarmAgent | SwarmAgentProblem> {
  if (!deps.agentDirs)
    return Promise.resolve({
      error: "unknown_agent",
      message: `--agent ${name}: this host defines no custom agents.`,
    });
  return resolveSwarmAgent(name, {
    tools: subAgentTools(deps.tools),
    dirs: deps.agentDirs,
    ...(resolveModel ? { resolveModel } : {}),
  });
}

function positive(name: string, value: number | undefined): string | undefined {
  if (value === undefined || (Number.isInteger(value) && value > 0)) return undefined;
  return `${name} must be a positive integer, got ${value}.`;
}

/**
 * `codetether swarm "<task>"`. JSON lines with `--json`, a live view on a TTY, one line per event
 * otherwise. Exit codes (the CLI's): 0 success, 1 some subtasks failed or a fatal error, 2 bad input, 130 cancelled.
 */
export async function runSwarmCommand(
  options: SwarmCommandOptions,
  deps: SwarmCommandDeps,
  io: CommandIO,
): Promise<number> {
  const strategy = SwarmStrategySchema.safeParse(options.strategy ?? "auto");
  const problems = [
    options.task.trim()
      ? undefined
      : 'Give the task to run, e.g. codetether swarm "add tests for src/parser".',
    strategy.success
      ? undefined
      : `Unknown strategy "${options.strategy}"; use one of ${SwarmStrategySchema.options.join(", ")}.`,
    positive("--max-subagents", options.maxSubagents),
    positive("--max-steps", options.maxSteps),
    positive("--timeout", options.timeoutMs),
  ].filter(Boolean);
  if (problems.length || !strategy.success) {
    io.stderr.write(`error: ${problems.join("\n")}\n`);
    return 2;
  }
  type Resolved = Awaited<ReturnType<SwarmCommandDeps["resolveModel"]>>;
  const resolveModel = async (model?: string): Promise<Resolved | undefined> => {
    try {
      return await deps.resolveModel(model);
    } catch (err) {
      io.stderr.write(`error: ${(err as Error).message}\n`);
      return undefined;
    }
  };
  // An explicit --model wins over the agent's model line; the agent's model counts only where the loader kept it.
  const explicit = options.model || !options.agent ? await resolveModel(options.model) : undefined;
  if ((options.model || !options.agent) && !explicit) return 1;
  let agent: SwarmAgent | undefined;
  if (options.agent) {
    const found = await swarmAgent(
      options.agent,
      deps,
      explicit ? async () => explicit : deps.resolveAgentModel,
    );
    if ("error" in found) {
      io.stderr.write(`error: ${found.message}\n`);
      return 2;
    }
    agent = found;
  }
  const resolved = explicit ?? agent?.model ?? (await resolveModel());
  if (!resolved) return 1;
  const run = startSwarm({
    task: options.task,
    provider: resolved.provider,
    model: resolved.model,
    ...(resolved.modelInfo ? { modelInfo: resolved.modelInfo } : {}),
    tools: agent ? agent.tools : deps.tools,
    cwd: deps.cwd,
    ...(agent ? { agentPrompt: agent.agentPrompt } : {}),
    strategy: strategy.data,
    ...(options.maxSubagents ? { maxSubagents: options.maxSubagents } : {}),
    ...(options.maxSteps ? { maxSteps: options.maxSteps } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.worktrees ? { worktrees: true } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.store ? { store: deps.store } : {}),
    // A policy on tool calls holds for every agent; the sub-agents' prompts and answers are not the user's.
    ...(deps.hooks ? { hooks: toolHooksOnly(deps.hooks) } : {}),
  });
  const live = !options.json && io.stdout.isTTY ? new LiveView(io.stdout) : undefined;
  for await (const event of run.events) {
    if (options.json) io.stdout.write(toJsonText(event));
    else if (live) live.update(event);
    else {
      const line = formatEventLine(event);
      if (line) io.stdout.write(`${sanitizeTerminalText(line)}\n`);
    }
  }
  live?.stop();
  try {
    const result = await run.result;
    // The answer and errors are the model's words: none of it may drive the terminal.
    if (!options.json) io.stdout.write(sanitizeTerminalText(formatSummary(result)));
    if (result.success) return 0;
    return deps.signal?.aborted ? 130 : 1;
  } catch (err) {
    if (!options.json) io.stderr.write(`error: ${sanitizeTerminalText((err as Error).message)}\n`);
    return deps.signal?.aborted ? 130 : 1;
  }
}
