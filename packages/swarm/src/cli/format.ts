import type { SwarmEvent, SwarmResult } from "../swarm-types.js";

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** One plain line per event (non-TTY output); undefined for events not worth a line. */
export function formatEventLine(event: SwarmEvent): string | undefined {
  switch (event.type) {
    case "started":
      return `swarm ${event.runId}: decomposing (${event.strategy})`;
    case "decomposed":
      return `decomposed into ${event.subtasks.length} subtasks in ${event.stages} stages`;
    case "stage-start":
      return `stage ${event.stage}: ${event.subtaskIds.join(", ")}`;
    case "subtask-start":
      return `  start ${event.id}${event.worktree ? ` (worktree ${event.worktree})` : ""}`;
    case "subtask-tool":
      return `  ${event.id} · ${event.tool}`;
    case "subtask-end": {
      const r = event.result;
      const detail =
        r.status === "completed" ? `${r.steps} steps${r.cached ? ", cached" : ""}` : (r.error ?? "");
      return `  ${r.status} ${r.id} in ${formatDuration(r.durationMs)} (${detail})`;
    }
    case "stage-end":
      return `stage ${event.stage} done in ${formatDuration(event.durationMs)}`;
    case "merge":
      return event.outcome.merged
        ? `  merged ${event.outcome.id} (${event.outcome.filesChanged.length} files)`
        : `  CONFLICT merging ${event.outcome.id}: ${event.outcome.conflicts.join(", ") || event.outcome.error}`;
    case "synthesizing":
      return "synthesizing the answer";
    case "complete":
      return undefined;
    case "error":
      return `error: ${event.message}`;
  }
}

/** Final answer and stats, for humans. */
export function formatSummary(result: SwarmResult): string {
  const s = result.stats;
  const tokens = s.usage.promptTokens + s.usage.completionTokens;
  const lines = [
    "",
    result.answer,
    "",
    `${result.success ? "✓" : "✗"} ${s.completed}/${result.subtasks.length} subtasks completed` +
      (s.failed ? `, ${s.failed} failed` : "") +
      (s.skipped ? `, ${s.skipped} skipped` : "") +
      (s.cancelled ? `, ${s.cancelled} cancelled` : ""),
    `sub-agents: ${s.subagentsSpawned} · tool calls: ${s.toolCalls} · tokens: ${tokens}` +
      (s.cost !== undefined ? ` · cost: $${s.cost.toFixed(4)}` : "") +
      (s.cacheHits ? ` · cache hits: ${s.cacheHits}` : ""),
    `wall ${formatDuration(s.wallTimeMs)} vs ${formatDuration(s.sumSubagentTimeMs)} summed → speed-up ${s.speedup}x`,
  ];
  if (result.error) lines.push(`note: ${result.error}`);
  return `${lines.join("\n")}\n`;
}
