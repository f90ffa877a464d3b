import type { Semaphore } from "@codetether/core";
import { emptyUsage, type Provider, type ToolRegistry } from "@codetether/core";
import type { Subtask } from "../decompose/subtask.js";
import type { WorktreeManager } from "../git/worktree-manager.js";
import type { ResultStore } from "../share/result-store.js";
import type { SubtaskResult, SwarmEvent, SwarmOptions } from "../swarm-types.js";
import { runSubagent, type SubagentOutcome } from "./run-subagent.js";
import { SubtaskCache } from "./subtask-cache.js";

interface RunnerDeps {
  options: SwarmOptions;
  provider: Provider;
  baseTools: ToolRegistry;
  store: ResultStore;
  slots: Semaphore;
  cache: SubtaskCache | undefined;
  worktrees: WorktreeManager | undefined;
  signal: AbortSignal;
  emit: (event: SwarmEvent) => void;
}

/** Runs single subtasks of a swarm: dependency checks, concurrency slot, worktree, cache, publish. */
export class SubtaskRunner {
  spawned = 0;
  cacheHits = 0;
  /** One registry per distinct tool set, so sub-agents with the same subset share its schema cache. */
  private readonly registries = new Map<string, ToolRegistry>();

  constructor(private readonly deps: RunnerDeps) {}

  private base(subtask: Subtask, status: SubtaskResult["status"], error: string): SubtaskResult {
    return {
      id: subtask.id,
      name: subtask.name,
      stage: subtask.stage,
      status,
      output: "",
      error,
      steps: 0,
      toolCalls: 0,
      usage: emptyUsage(),
      durationMs: 0,
      cached: false,
    };
  }

  async run(subtask: Subtask, done: Map<string, SubtaskResult>): Promise<SubtaskResult> {
    const { emit, signal } = this.deps;
    const blocked = subtask.dependencies.filter((id) => done.get(id)?.status !== "completed");
    if (blocked.length) {
      const result = this.base(subtask, "skipped", `dependencies did not complete: ${blocked.join(", ")}`);
      emit({ type: "subtask-end", result });
      return result;
    }
    let release: () => void;
    try {
      release = await this.deps.slots.acquire(signal);
    } catch {
      const result = this.base(subtask, "cancelled", "cancelled before it started");
      emit({ type: "subtask-end", result });
      return result;
    }
    try {
      const result = await this.runAcquired(subtask, done);
      if (result.status === "completed") {
        this.deps.store.publish({
          key: `subtask/${subtask.id}`,
          value: result.output.slice(0, this.deps.store.maxValueChars),
          producer: subtask.id,
          tags: [`stage:${subtask.stage}`, `subtask:${subtask.id}`],
        });
      }
      emit({ type: "subtask-end", result });
      return result;
    } finally {
      release();
    }
  }

  private toolsFor(subtask: Subtask): ToolRegistry {
    if (!subtask.tools) return this.deps.baseTools;
    const ids = [...new Set([...subtask.tools, "swarm_share"])].sort();
    const key = ids.join("\n");
    let registry = this.registries.get(key);
    if (!registry) {
      registry = this.deps.baseTools.subset(ids);
      this.registries.set(key, registry);
    }
    return registry;
  }

  private async runAcquired(subtask: Subtask, done: Map<string, SubtaskResult>): Promise<SubtaskResult> {
    const { options, emit, signal, worktrees } = this.deps;
    const started = Date.now();
    let cwd = options.cwd;
    let worktreeDir: string | undefined;
    if (worktrees) {
      try {
        const worktree = await worktrees.create(subtask.id);
        cwd = worktreeDir = worktree.dir;
      } catch (err) {
        return { ...this.base(subtask, "failed", (err as Error).message), durationMs: Date.now() - started };
      }
    }
    emit({
      type: "subtask-start",
      id: subtask.id,
      name: subtask.name,
      stage: subtask.stage,
      ...(worktreeDir ? { worktree: worktreeDir } : {}),
    });
    const tools = this.toolsFor(subtask);
    const context = subtask.dependencies.map((id) => ({
      name: done.get(id)!.name,
      output: done.get(id)!.output,
    }));
    let outcome: SubagentOutcome | undefined;
    const spawn = async () => {
      this.spawned++;
      outcome = await runSubagent({
        subtask,
        context,
        provider: this.deps.provider,
        model: options.model,
        ...(options.modelInfo ? { modelInfo: options.modelInfo } : {}),
        tools,
        cwd,
        maxSteps: options.maxSteps ?? 50,
        timeoutMs: options.timeoutMs ?? 300_000,
        signal,
        ...(options.store ? { store: options.store } : {}),
        onTool: (tool) => emit({ type: "subtask-tool", id: subtask.id, tool }),
        ...(options.agentPrompt ? { agentPrompt: options.agentPrompt } : {}),
        ...(options.hooks ? { hooks: options.hooks } : {}),
      });
      if (!outcome.ok) throw new Error(outcome.error ?? "sub-agent failed");
      return { output: outcome.output, steps: outcome.steps };
    };
    let cached = false;
    let output = "";
    let error: string | undefined;
    try {
      if (this.deps.cache) {
        const key = SubtaskCache.key({
          model: `${this.deps.provider.id}/${options.model}`,
          instruction: subtask.instruction,
          specialty: subtask.specialty ?? "",
          tools: tools.ids(),
          context,
          cwd,
          // A sub-agent run as a custom agent is a different sub-query than a plain one.
          agent: options.agentPrompt ?? "",
        });
        const hit = await this.deps.cache.getOrCompute(key, spawn);
        cached = hit.cached;
        output = hit.value.output;
        if (cached) this.cacheHits++;
      } else {
        output = (await spawn()).output;
      }
      if (worktrees && worktreeDir) {
        const worktree = worktrees.active.find((w) => w.id === subtask.id)!;
        await worktrees.commit(worktree, `swarm subtask ${subtask.id}: ${subtask.name}`);
      }
    } catch (err) {
      error = (err as Error).message;
    }
    const status = error === undefined ? "completed" : signal.aborted ? "cancelled" : "failed";
    return {
      id: subtask.id,
      name: subtask.name,
      stage: subtask.stage,
      status,
      output,
      ...(error !== undefined ? { error } : {}),
      steps: cached ? 0 : (outcome?.steps ?? 0),
      toolCalls: cached ? 0 : (outcome?.toolCalls ?? 0),
      usage: cached ? emptyUsage() : (outcome?.usage ?? emptyUsage()),
      ...(outcome?.usage.cost !== undefined && !cached ? { cost: outcome.usage.cost } : {}),
      durationMs: Date.now() - started,
      cached,
      ...(outcome && !cached ? { sessionId: outcome.sessionId } : {}),
    };
  }
}
