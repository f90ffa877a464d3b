import type { AgentHooks, ModelInfo, Provider, SessionStore, ToolRegistry, Usage } from "@codetether/core";
import type { Subtask, SwarmStrategy } from "./decompose/subtask.js";
import type { RateLimitOptions, RateLimitStats } from "./execute/rate-limited-provider.js";
import type { SubtaskCache } from "./execute/subtask-cache.js";
import type { MergeOutcome } from "./git/worktree-manager.js";

export type SubtaskStatus = "completed" | "failed" | "cancelled" | "skipped";

export interface SubtaskResult {
  id: string;
  name: string;
  stage: number;
  status: SubtaskStatus;
  output: string;
  error?: string;
  steps: number;
  toolCalls: number;
  usage: Usage;
  /** US dollars, when the model's prices are known. */
  cost?: number;
  durationMs: number;
  /** True when an identical sub-query's result was reused. */
  cached: boolean;
  sessionId?: string;
}

export interface StageStats {
  stage: number;
  subtasks: number;
  durationMs: number;
}

export interface SwarmStats {
  subagentsSpawned: number;
  completed: number;
  failed: number;
  cancelled: number;
  skipped: number;
  toolCalls: number;
  wallTimeMs: number;
  /** Sum of the sub-agents' times: what running them one after another would roughly take. */
  sumSubagentTimeMs: number;
  /** sumSubagentTimeMs / wall time of the execution phase. */
  speedup: number;
  stages: StageStats[];
  usage: Usage;
  cost?: number;
  cacheHits: number;
  rateLimit: RateLimitStats;
}

export interface SwarmResult {
  runId: string;
  task: string;
  success: boolean;
  /** Answer synthesised by the model from the subtask outputs. */
  answer: string;
  subtasks: SubtaskResult[];
  merges: MergeOutcome[];
  stats: SwarmStats;
  error?: string;
}

/** Progress of a swarm run, in order; feeds the live TTY view and `--json`. */
export type SwarmEvent =
  | { type: "started"; runId: string; task: string; strategy: SwarmStrategy }
  | { type: "decomposed"; subtasks: Subtask[]; stages: number; attempts: number }
  | { type: "stage-start"; stage: number; subtaskIds: string[] }
  | { type: "subtask-start"; id: string; name: string; stage: number; worktree?: string }
  | { type: "subtask-tool"; id: string; tool: string }
  | { type: "subtask-end"; result: SubtaskResult }
  | { type: "stage-end"; stage: number; durationMs: number }
  | { type: "merge"; outcome: MergeOutcome }
  | { type: "synthesizing" }
  | { type: "complete"; result: SwarmResult }
  | { type: "error"; message: string };

export interface SwarmOptions {
  task: string;
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
  /** Tools sub-agents may use; each gets `subset()` of it plus `swarm_share`. */
  tools: ToolRegistry;
  cwd: string;
  strategy?: SwarmStrategy;
  /** Most sub-agents running at once (default 8). */
  maxSubagents?: number;
  /** Most subtasks the decomposition may propose (default: maxSubagents). */
  maxSubtasks?: number;
  /** Agent steps per sub-agent (default 50). */
  maxSteps?: number;
  /** Time limit per sub-agent in ms (default 300 000). */
  timeoutMs?: number;
  /** One git worktree per sub-agent, merged back at the end. */
  worktrees?: boolean;
  rateLimit?: RateLimitOptions;
  /** Share to reuse identical sub-queries across runs; a fresh one per run otherwise. */
  cache?: SubtaskCache;
  /** Sub-agent sessions are saved here when given. */
  store?: SessionStore;
  signal?: AbortSignal;
  /** Skip the synthesis call and join the outputs instead. */
  synthesize?: boolean;
  /** A custom agent's system prompt: every sub-agent runs as that agent (before the swarm's own instructions). */
  agentPrompt?: string;
  /** Hooks for the sub-agents' tool calls (the calling agent's `pre_tool_use`/`post_tool_use`). */
  hooks?: AgentHooks;
}
