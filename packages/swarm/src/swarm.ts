import { randomBytes } from "node:crypto";
import { addUsage, EventChannel, emptyUsage, Semaphore, ToolRegistry, type Usage } from "@codetether/core";
import { decompose } from "./decompose/decompose.js";
import { groupByStage } from "./decompose/stages.js";
import type { Subtask } from "./decompose/subtask.js";
import { RateLimitedProvider } from "./execute/rate-limited-provider.js";
import { SubtaskCache } from "./execute/subtask-cache.js";
import { SubtaskRunner } from "./execute/subtask-runner.js";
import { joinOutputs, synthesize } from "./execute/synthesize.js";
import { type MergeOutcome, WorktreeManager } from "./git/worktree-manager.js";
import { ResultStore } from "./share/result-store.js";
import { createSwarmShareTool } from "./share/swarm-share-tool.js";
import type { StageStats, SubtaskResult, SwarmEvent, SwarmOptions, SwarmResult } from "./swarm-types.js";

export interface SwarmRun {
  runId: string;
  events: AsyncIterable<SwarmEvent>;
  result: Promise<SwarmResult>;
}

/** Starts a swarm run; iterate `events` for progress and await `result`. */
export function startSwarm(options: SwarmOptions): SwarmRun {
  const runId = randomBytes(4).toString("hex");
  const channel = new EventChannel<SwarmEvent>();
  const result = execute(runId, options, (event) => channel.push(event)).then(
    (value) => {
      channel.push({ type: "complete", result: value });
      channel.close();
      return value;
    },
    (err: unknown) => {
      channel.push({ type: "error", message: (err as Error).message ?? String(err) });
      channel.close();
      throw err;
    },
  );
  // The caller may only await `result`; the events then just buffer.
  result.catch(() => {});
  return { runId, events: channel, result };
}

/** Runs a swarm to the end, reporting events to `onEvent`. */
export async function runSwarm(
  options: SwarmOptions,
  onEvent?: (e: SwarmEvent) => void,
): Promise<SwarmResult> {
  const run = startSwarm(options);
  // Always drain, so events do not pile up in memory when nobody listens.
  for await (const event of run.events) onEvent?.(event);
  return run.result;
}

async function execute(
  runId: string,
  options: SwarmOptions,
  emit: (e: SwarmEvent) => void,
): Promise<SwarmResult> {
  const started = Date.now();
  const signal = options.signal ?? new AbortController().signal;
  const maxSubagents = options.maxSubagents ?? 8;
  if (!Number.isInteger(maxSubagents) || maxSubagents < 1)
    throw new Error(`maxSubagents must be a positive integer, got ${options.maxSubagents}.`);
  const strategy = options.strategy ?? "auto";
  emit({ type: "started", runId, task: options.task, strategy });

  const provider =
    options.provider instanceof RateLimitedProvider
      ? options.provider
      : new RateLimitedProvider(options.provider, { maxConcurrent: maxSubagents, ...options.rateLimit });
  let usage: Usage = emptyUsage();
  const plan = await decompose({
    task: options.task,
    strategy,
    provider,
    model: options.model,
    maxSubtasks: options.maxSubtasks ?? maxSubagents,
    toolIds: [...options.tools.ids(), "swarm_share"],
    signal,
  });
  usage = addUsage(usage, plan.usage);
  const stages = groupByStage(plan.subtasks);
  emit({ type: "decomposed", subtasks: plan.subtasks, stages: stages.length, attempts: plan.attempts });

  const store = new ResultStore();
  const baseTools = new ToolRegistry(options.tools.gate ? { gate: options.tools.gate } : {})
    .register(...options.tools.list())
    .register(createSwarmShareTool(store));
  const worktrees = options.worktrees ? await WorktreeManager.open(options.cwd, runId) : undefined;
  const runner = new SubtaskRunner({
    options,
    provider,
    baseTools,
    store,
    slots: new Semaphore(maxSubagents),
    cache: options.worktrees ? undefined : (options.cache ?? new SubtaskCache()),
    worktrees,
    signal,
    emit,
  });
  const results = new Map<string, SubtaskResult>();
  const merges: MergeOutcome[] = [];
  const stageStats: StageStats[] = [];
  const execStarted = Date.now();
  try {
    for (const [index, stage] of stages.entries()) {
      const stageStarted = Date.now();
      emit({ type: "stage-start", stage: index, subtaskIds: stage.map((s) => s.id) });
      const done = await Promise.all(stage.map((subtask) => runner.run(subtask, results)));
      for (const r of done) results.set(r.id, r);
      // Merge after each stage so later stages start from their dependencies' changes.
      if (worktrees) {
        for (const r of done) {
          if (r.status !== "completed") continue;
          const worktree = worktrees.active.find((w) => w.id === r.id);
          if (!worktree) continue;
          const outcome = await worktrees.merge(worktree);
          merges.push(outcome);
          emit({ type: "merge", outcome });
        }
      }
      const durationMs = Date.now() - stageStarted;
      stageStats.push({ stage: index, subtasks: stage.length, durationMs });
      emit({ type: "stage-end", stage: index, durationMs });
    }
  } finally {
    await worktrees?.cleanup();
  }
  const execMs = Date.now() - execStarted;
  const ordered = plan.subtasks.map((s: Subtask) => results.get(s.id)!);
  for (const r of ordered) usage = addUsage(usage, r.usage);

  let answer = joinOutputs(ordered);
  let error: string | undefined;
  const completed = ordered.filter((r) => r.status === "completed");
  if (signal.aborted) error = "Cancelled: the swarm run was aborted.";
  else if (ordered.length === 1 && completed.length === 1) answer = completed[0]!.output;
  else if (options.synthesize !== false && completed.length > 0) {
    emit({ type: "synthesizing" });
    try {
      const synthesis = await synthesize({
        task: options.task,
        results: ordered,
        provider,
        model: options.model,
        signal,
      });
      usage = addUsage(usage, synthesis.usage);
      if (synthesis.answer) answer = synthesis.answer;
    } catch (err) {
      error = `Synthesis failed (${(err as Error).message}); the answer joins the subtask outputs.`;
    }
  }
  const count = (status: SubtaskResult["status"]) => ordered.filter((r) => r.status === status).length;
  const sumSubagentTimeMs = ordered.reduce((sum, r) => sum + r.durationMs, 0);
  const conflicts = merges.filter((m) => !m.merged);
  if (!error && conflicts.length)
    error = `Merge conflicts in ${conflicts.map((m) => `${m.id} (${m.conflicts.join(", ") || m.error})`).join("; ")}.`;
  const cost = usage.cost;
  return {
    runId,
    task: options.task,
    success: !signal.aborted && completed.length === ordered.length && conflicts.length === 0,
    answer,
    subtasks: ordered,
    merges,
    stats: {
      subagentsSpawned: runner.spawned,
      completed: completed.length,
      failed: count("failed"),
      cancelled: count("cancelled"),
      skipped: count("skipped"),
      toolCalls: ordered.reduce((sum, r) => sum + r.toolCalls, 0),
      wallTimeMs: Date.now() - started,
      sumSubagentTimeMs,
      speedup: execMs > 0 ? Math.round((sumSubagentTimeMs / execMs) * 100) / 100 : 1,
      stages: stageStats,
      usage,
      ...(cost !== undefined ? { cost } : {}),
      cacheHits: runner.cacheHits,
      rateLimit: { ...provider.stats },
    },
    ...(error ? { error } : {}),
  };
}
