import type {
  AgentEvent,
  AgentHooks,
  ModelInfo,
  Provider,
  SessionStore,
  ToolRegistry,
} from "@codetether/core";
import type { Prd } from "../prd/prd-schema.js";
import type { CheckResult, CommandSandbox } from "./quality-checks.js";

export interface RalphOptions {
  prdPath: string;
  /** Hooks for the story agents' tool calls (the calling agent's `pre_tool_use`/`post_tool_use`). */
  hooks?: AgentHooks;
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
  /** Full tools for the story agent (e.g. `createDefaultTools()` from @codetether/tools). */
  tools: ToolRegistry;
  /** Iterations (one story attempt each) before stopping (default 10). */
  maxIterations?: number;
  /** Failed attempts at one story before the run moves on without it (default 3). */
  maxAttemptsPerStory?: number;
  /** Agent steps per iteration (default 30). */
  maxSteps?: number;
  /** Project directory (default: the PRD's directory). Checks and commits run here. */
  cwd?: string;
  /** Default: progress.txt beside the PRD. */
  progressPath?: string;
  /** Per quality check (default 10 minutes). */
  checkTimeoutMs?: number;
  /**
   * The sandbox `bash` runs in, for the quality checks (they run project scripts the story agent could rewrite).
   * Hosts with the sandbox on must pass it; without it the checks run as plain `/bin/sh -c`.
   */
  sandbox?: CommandSandbox;
  store?: SessionStore;
  signal?: AbortSignal;
  onEvent?: (event: RalphEvent) => void;
}

/** `blocked`: every remaining story is out of attempts or waits on one that is. */
export type RalphStatusKind = "completed" | "max_iterations" | "blocked" | "aborted";

export interface RalphResult {
  status: RalphStatusKind;
  iterations: number;
  passed: string[];
  remaining: string[];
  commits: Array<{ storyId: string; commit: string }>;
  prd: Prd;
}

export type RalphEvent =
  | { type: "started"; prdPath: string; branch: string; remaining: number }
  | { type: "warning"; message: string }
  | { type: "iteration-start"; iteration: number; storyId: string; title: string; attempt: number }
  | { type: "agent"; storyId: string; event: AgentEvent }
  | { type: "check"; storyId: string; result: CheckResult }
  | {
      type: "story-end";
      iteration: number;
      storyId: string;
      passed: boolean;
      commit?: string;
      reason?: string;
    }
  | { type: "complete"; result: RalphResult };
