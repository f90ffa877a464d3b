import {
  Agent,
  type AgentHooks,
  callerTools,
  configDir,
  type DefinitionDirs,
  defineTool,
  type FileTrustCheck,
  lazySchema,
  noToolModel,
  type Provider,
  type ToolRegistry,
  toolHooksOnly,
  toolModel,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import { SwarmStrategySchema } from "./decompose/subtask.js";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { runSwarm } from "./swarm.js";
import { type ResolveAgentModel, resolveSwarmAgent, subAgentTools } from "./swarm-agent.js";

export const swarmParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
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
      agent: z
        .string()
        .min(1)
        .optional()
        .describe("A custom agent every sub-agent runs as (its system prompt, tools, permissions and model)"),
    }),
  ),
  TOOL_JSON_SCHEMAS.swarm,
);

export interface SwarmToolOptions {
  /** With `model`: the sub-agents' model. Without: the calling agent's current model (`toolModel`). */
  provider?: Provider;
  model?: string;
  /**
   * Tools the sub-agents may use outside an agent; inside one they get the calling agent's tools (`callerTools`),
   * so a narrowed agent cannot widen through a swarm. The `swarm` tool itself is left out, so swarms do not nest.
   */
  tools: ToolRegistry;
  /** Resolves a custom agent's `model`; without it an agent that names a model is refused. */
  resolveModel?: ResolveAgentModel;
  /** Where custom agents are defined (default: the workspace's `.codetether/agents` and the user config dir). */
  agentDirs?: DefinitionDirs;
  /**
   * Whether the workspace folder is trusted (`codetether trust`), for the default `agentDirs`: an untrusted
   * project's agent keeps its prompt, tools and permissions but not its `model`. Default false. A check
   * (`ProjectTrust.trustsFile`) decides per file: an agent file new or changed since `codetether trust` is not.
   */
  projectTrusted?: boolean | FileTrustCheck;
}

/**
 * The `swarm` tool: lets the agent fan a large task out to parallel sub-agents (each with its own session)
 * and get back the synthesised answer with per-subtask status. With `agent`, every sub-agent runs as that custom
 * agent (`.codetether/agents/<name>.md`): its system prompt, its tool allow-list and permissions, and its model.
 */
export function createSwarmTool(options: SwarmToolOptions) {
  return defineTool({
    id: "swarm",
    description:
      "Split a large, parallelisable task (e.g. the same change across many modules, independent investigations) " +
      "into sub-agents that run concurrently with their own sessions, then combine their results. Use for work that " +
      "would take many sequential steps; not for small edits.",
    kind: "agent",
    parameters: swarmParameters,
    async execute(args, ctx) {
      let chosen = toolModel(ctx, options);
      if (!chosen) return noToolModel("swarm");
      let tools = subAgentTools(callerTools(ctx, options.tools));
      let agentPrompt: string | undefined;
      if (args.agent) {
        const dirs = options.agentDirs ?? {
          projectRoot: ctx.workspaceRoot,
          userConfigDir: configDir(),
          projectTrusted: options.projectTrusted ?? false,
        };
        const agent = await resolveSwarmAgent(args.agent, {
          tools,
          dirs,
          ...(options.resolveModel ? { resolveModel: options.resolveModel } : {}),
        });
        if ("error" in agent)
          return { output: agent.message, isError: true, metadata: { error: agent.error } };
        if (agent.model) chosen = agent.model;
        tools = agent.tools;
        agentPrompt = agent.agentPrompt;
      }
      const parent = ctx.services?.agent instanceof Agent ? ctx.services.agent : undefined;
      const hooks: AgentHooks | undefined = parent?.options.hooks
        ? toolHooksOnly(parent.options.hooks)
        : undefined;
      const result = await runSwarm({
        task: args.task,
        provider: chosen.provider,
        model: chosen.model,
        ...(chosen.modelInfo ? { modelInfo: chosen.modelInfo } : {}),
        tools,
        cwd: ctx.cwd,
        signal: ctx.signal,
        maxSubagents: args.max_subagents ?? 4,
        ...(args.strategy ? { strategy: args.strategy } : {}),
        ...(agentPrompt ? { agentPrompt } : {}),
        ...(hooks ? { hooks } : {}),
      });
      const lines = result.subtasks.map((s) => `- ${s.id}: ${s.status}`);
      const summary = `${result.stats.subagentsSpawned} sub-agents, speed-up ${result.stats.speedup.toFixed(1)}×`;
      return {
        output: `${result.answer || result.error || "(no answer)"}\n\nSubtasks (${summary}):\n${lines.join("\n")}`,
        isError: !result.success,
        metadata: {
          runId: result.runId,
          stats: result.stats,
          ...(args.agent ? { agent: args.agent } : {}),
        },
      };
    },
  });
}
