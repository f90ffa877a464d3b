import { defineTool, noToolModel, type Provider, type ToolRegistry, toolModel } from "@codetether/core";
import { z } from "zod";
import { SwarmStrategySchema } from "./decompose/subtask.js";
import { runSwarm } from "./swarm.js";

const parameters = z.object({
  task: z.string().min(1).describe("The task to split into parallel sub-agents"),
  strategy: SwarmStrategySchema.optional().describe(
    "How to decompose: auto (default), domain, data, stage, none",
  ),
  max_subagents: z
    .number()
    .int()
    .min(1)
    .max(32)
    .optional()
    .describe("Sub-agents running at once (default 4)"),
});

export interface SwarmToolOptions {
  /** With `model`: the sub-agents' model. Without: the calling agent's current model (`toolModel`). */
  provider?: Provider;
  model?: string;
  /** Tools the sub-agents may use (the `swarm` tool itself is left out, so swarms do not nest). */
  tools: ToolRegistry;
}

/**
 * The `swarm` tool: lets the agent fan a large task out to parallel sub-agents (each with its own session)
 * and get back the synthesised answer with per-subtask status.
 */
export function createSwarmTool(options: SwarmToolOptions) {
  return defineTool({
    id: "swarm",
    description:
      "Split a large, parallelisable task (e.g. the same change across many modules, independent investigations) " +
      "into sub-agents that run concurrently with their own sessions, then combine their results. Use for work that " +
      "would take many sequential steps; not for small edits.",
    kind: "agent",
    parameters,
    async execute(args, ctx) {
      const chosen = toolModel(ctx, options);
      if (!chosen) return noToolModel("swarm");
      const tools = options.tools.subset(options.tools.ids().filter((id) => id !== "swarm"));
      const result = await runSwarm({
        task: args.task,
        provider: chosen.provider,
        model: chosen.model,
        tools,
        cwd: ctx.cwd,
        signal: ctx.signal,
        maxSubagents: args.max_subagents ?? 4,
        ...(args.strategy ? { strategy: args.strategy } : {}),
      });
      const lines = result.subtasks.map((s) => `- ${s.id}: ${s.status}`);
      const summary = `${result.stats.subagentsSpawned} sub-agents, speed-up ${result.stats.speedup.toFixed(1)}×`;
      return {
        output: `${result.answer || result.error || "(no answer)"}\n\nSubtasks (${summary}):\n${lines.join("\n")}`,
        isError: !result.success,
        metadata: { runId: result.runId, stats: result.stats },
      };
    },
  });
}
