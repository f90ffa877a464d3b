export { Semaphore } from "@codetether/core";
export type { CommandIO, SwarmCommandDeps } from "./cli/command-io.js";
export { formatEventLine, formatSummary } from "./cli/format.js";
export { LiveView } from "./cli/live-view.js";
export { runSwarmCommand, type SwarmCommandOptions } from "./cli/swarm-command.js";
export {
  type DecomposeOptions,
  type DecomposeResult,
  decompose,
  decompositionPrompt,
} from "./decompose/decompose.js";
export { extractJsonObject } from "./decompose/extract-json.js";
export { DecompositionError, groupByStage, planStages, slugify } from "./decompose/stages.js";
export {
  type Decomposition,
  DecompositionSchema,
  type ProposedSubtask,
  ProposedSubtaskSchema,
  type Subtask,
  type SwarmStrategy,
  SwarmStrategySchema,
} from "./decompose/subtask.js";
export {
  RateLimitedProvider,
  type RateLimitOptions,
  type RateLimitStats,
} from "./execute/rate-limited-provider.js";
export { type CachedOutput, SubtaskCache } from "./execute/subtask-cache.js";
export { joinOutputs, synthesize } from "./execute/synthesize.js";
export { cleanupSwarmWorktrees, type StaleCleanup } from "./git/cleanup-stale.js";
export { type MergeOutcome, type Worktree, WorktreeManager } from "./git/worktree-manager.js";
export { ResultStore, type ResultStoreLimits, type SharedResult } from "./share/result-store.js";
export { createSwarmShareTool, SUBTASK_SERVICE } from "./share/swarm-share-tool.js";
export { runSwarm, type SwarmRun, startSwarm } from "./swarm.js";
export {
  type ResolveAgentModel,
  resolveSwarmAgent,
  type SwarmAgent,
  type SwarmAgentOptions,
  type SwarmAgentProblem,
  subAgentTools,
} from "./swarm-agent.js";
export { createSwarmTool, type SwarmToolOptions } from "./swarm-tool.js";
export type {
  StageStats,
  SubtaskResult,
  SubtaskStatus,
  SwarmEvent,
  SwarmOptions,
  SwarmResult,
  SwarmStats,
} from "./swarm-types.js";
