import {
  Agent,
  type AgentHooks,
  buildSystemPrompt,
  createSession,
  type emptyUsage,
  type ModelInfo,
  type Provider,
  type SessionStore,
  type ToolRegistry,
} from "@codetether/core";
import type { Subtask } from "../decompose/subtask.js";
import { SUBTASK_SERVICE } from "../share/swarm-share-tool.js";

export interface SubagentRun {
  subtask: Subtask;
  /** Outputs of the subtask's dependencies, by name. */
  context: Array<{ name: string; output: string }>;
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
  tools: ToolRegistry;
  cwd: string;
  maxSteps: number;
  timeoutMs: number;
  signal: AbortSignal;
  store?: SessionStore;
  onTool?: (tool: string) => void;
  /** A custom agent's system prompt, put before the swarm's instructions. */
  agentPrompt?: string;
  /** Tool hooks the sub-agent's calls are held to. */
  hooks?: AgentHooks;
}

export interface SubagentOutcome {
  ok: boolean;
  output: string;
  error?: string;
  aborted: boolean;
  steps: number;
  toolCalls: number;
  usage: ReturnType<typeof emptyUsage>;
  sessionId: string;
}

function instructions(subtask: Subtask, cwd: string, toolIds: string[]): string {
  return [
    `You are a ${subtask.specialty ?? "software engineering"} sub-agent in a codetether swarm.`,
    `Your subtask: "${subtask.name}". Do only this subtask; other sub-agents handle the rest in parallel.`,
    `WORKING DIRECTORY: ${cwd}. Keep all file changes inside it.`,
    `Tools: ${toolIds.join(", ")}.`,
    "Use swarm_share to publish findings other sub-agents need and to read theirs.",
    "Finish with a concise report of what you did and what you found; it is passed on to dependent subtasks.",
  ].join("\n");
}

export function subagentPrompt(subtask: Subtask, context: SubagentRun["context"]): string {
  if (!context.length) return subtask.instruction;
  const prior = context.map((c) => `### ${c.name}\n${c.output}`).join("\n\n");
  return `${subtask.instruction}\n\n## Context from prior work\n${prior}`;
}

/** Runs one sub-agent turn in-process with its own session; never throws. */
export async function runSubagent(run: SubagentRun): Promise<SubagentOutcome> {
  const session = createSession({
    cwd: run.cwd,
    model: `${run.provider.id}/${run.model}`,
    title: run.subtask.name,
  });
  session.metadata.swarmSubtask = run.subtask.id;
  const signal = AbortSignal.any([run.signal, AbortSignal.timeout(run.timeoutMs)]);
  // Computed once: the loop would otherwise re-read AGENTS.md on every step of every sub-agent.
  const swarmInstructions = instructions(run.subtask, run.cwd, run.tools.ids());
  const rawSystemPrompt = buildSystemPrompt({
    cwd: run.cwd,
    override: run.agentPrompt ? `${run.agentPrompt}\n\n${swarmInstructions}` : swarmInstructions,
  });
  const agent = new Agent({
    provider: run.provider,
    model: run.model,
    ...(run.modelInfo ? { modelInfo: run.modelInfo } : {}),
    tools: run.tools,
    cwd: run.cwd,
    rawSystemPrompt,
    maxSteps: run.maxSteps,
    session,
    ...(run.store ? { store: run.store } : {}),
    services: { [SUBTASK_SERVICE]: run.subtask.id },
    ...(run.hooks ? { hooks: run.hooks } : {}),
  });
  let toolCalls = 0;
  let steps = 0;
  const unsubscribe = agent.subscribe((event) => {
    if (event.type === "tool-start") {
      toolCalls++;
      run.onTool?.(event.tool);
    } else if (event.type === "step-start") steps = event.step;
  });
  try {
    const last = await agent.runToEnd(subagentPrompt(run.subtask, run.context), { signal });
    if (last.type === "done") {
      const ok = last.reason !== "max_steps" && last.reason !== "error";
      return {
        ok,
        output: last.text,
        ...(ok ? {} : { error: `stopped: ${last.reason} after ${last.steps} steps` }),
        aborted: false,
        steps: last.steps,
        toolCalls,
        usage: session.usage,
        sessionId: session.id,
      };
    }
    const timedOut = !run.signal.aborted && signal.aborted;
    return {
      ok: false,
      output: "",
      error: timedOut ? `timed out after ${run.timeoutMs} ms` : last.message,
      aborted: run.signal.aborted,
      steps,
      toolCalls,
      usage: session.usage,
      sessionId: session.id,
    };
  } catch (err) {
    return {
      ok: false,
      output: "",
      error: (err as Error).message,
      aborted: run.signal.aborted,
      steps,
      toolCalls,
      usage: session.usage,
      sessionId: session.id,
    };
  } finally {
    unsubscribe();
  }
}
