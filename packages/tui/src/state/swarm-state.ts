import { sanitizeTerminalText as clean } from "../view/sanitize.js";
import type { SwarmProgressEvent as SwarmEvent } from "./orchestration-events.js";

/** One sub-agent as the swarm view shows it. */
export interface SwarmAgentView {
  id: string;
  name: string;
  stage: number;
  instruction: string;
  status: "pending" | "running" | "completed" | "failed" | "cancelled" | "skipped";
  tools: string[];
  output: string;
  error?: string;
  durationMs?: number;
  tokens?: number;
}

export interface SwarmView {
  task: string;
  runId?: string;
  phase: "decomposing" | "running" | "synthesizing" | "complete" | "error";
  stages: number;
  currentStage?: number;
  agents: SwarmAgentView[];
  /** Index of the agent whose detail is shown (Tab switches). */
  selected: number;
  answer?: string;
  error?: string;
  speedup?: number;
}

export function startSwarmView(task: string): SwarmView {
  return { task, phase: "decomposing", stages: 0, agents: [], selected: 0 };
}

function patchAgent(view: SwarmView, id: string, patch: (a: SwarmAgentView) => SwarmAgentView): SwarmView {
  return { ...view, agents: view.agents.map((a) => (a.id === id ? patch(a) : a)) };
}

/** Folds one `@codetether/swarm` progress event into the view. */
export function applySwarmEvent(view: SwarmView, event: SwarmEvent): SwarmView {
  switch (event.type) {
    case "started":
      return { ...view, runId: clean(event.runId), task: clean(event.task) };
    case "decomposed":
      return {
        ...view,
        phase: "running",
        stages: event.stages,
        agents: event.subtasks.map((s) => ({
          id: s.id,
          name: clean(s.name),
          stage: s.stage,
          instruction: clean(s.instruction),
          status: "pending",
          tools: [],
          output: "",
        })),
      };
    case "stage-start":
      return { ...view, currentStage: event.stage };
    case "subtask-start":
      return patchAgent(view, event.id, (a) => ({ ...a, status: "running" }));
    case "subtask-tool":
      return patchAgent(view, event.id, (a) => ({ ...a, tools: [...a.tools, clean(event.tool)].slice(-50) }));
    case "subtask-end": {
      const r = event.result;
      return patchAgent(view, r.id, (a) => ({
        ...a,
        status: r.status,
        output: clean(r.output),
        ...(r.error ? { error: clean(r.error) } : {}),
        durationMs: r.durationMs,
        tokens: r.usage.promptTokens + r.usage.completionTokens,
      }));
    }
    case "synthesizing":
      return { ...view, phase: "synthesizing" };
    case "complete":
      return {
        ...view,
        phase: event.result.success ? "complete" : "error",
        answer: clean(event.result.answer),
        speedup: event.result.stats.speedup,
        ...(event.result.error ? { error: clean(event.result.error) } : {}),
      };
    case "error":
      return { ...view, phase: "error", error: clean(event.message) };
    default:
      return view;
  }
}

/** Tab / Shift+Tab: the next / previous agent. */
export function selectAgent(view: SwarmView, delta: number): SwarmView {
  const n = view.agents.length;
  if (!n) return view;
  return { ...view, selected: (((view.selected + delta) % n) + n) % n };
}
