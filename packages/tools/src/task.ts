import path from "node:path";
import {
  Agent,
  agentToolRegistry,
  type CustomAgent,
  configDir,
  createSession,
  type DefinitionDirs,
  defineTool,
  type FileTrustCheck,
  lazySchema,
  loadCustomAgents,
  type ModelInfo,
  type Provider,
  type SessionStore,
  type Tool,
  ToolRegistry,
  toolHooksOnly,
  toolModel,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { fail } from "./util/result.js";

/** Tools a sub-agent never gets: recursion, user interaction and plan-mode switching belong to the parent. */
const EXCLUDED = new Set(["task", "question", "plan_enter", "plan_exit"]);
const DEFAULT_MAX_STEPS = 30;

export const taskParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      description: z.string().min(1).describe("Short summary of the sub-task (3-7 words)"),
      prompt: z.string().min(1).describe("Complete instructions for the sub-agent"),
      tools: z
        .array(z.string().min(1))
        .optional()
        .describe("Tool ids the sub-agent may use (default: all safe ones)"),
      agent: z
        .string()
        .min(1)
        .optional()
        .describe("A custom agent to run as (its system prompt, tools and permissions), e.g. reviewer"),
    }),
  ),
  TOOL_JSON_SCHEMAS.task,
);

/**
 * How a sub-agent is built. Anything missing comes from the parent agent (`ctx.services.agent`); without
 * `provider` + `model`, sub-agents use whatever model the parent uses at the time of the call.
 */
export interface TaskToolOptions {
  provider?: Provider;
  model?: string;
  modelInfo?: ModelInfo;
  /** Registry the sub-agent's tools are drawn from. */
  registry?: () => ToolRegistry | undefined;
  store?: SessionStore;
  maxSteps?: number;
  /** Where custom agents are defined (default: the workspace's `.codetether/agents` and the user config dir). */
  agentDirs?: DefinitionDirs;
  /**
   * Whether the workspace folder is trusted (`codetether trust`), for the default `agentDirs`: an untrusted
   * project's agent keeps its prompt, tools and permissions but not its `model`. Default false. A check
   * (`ProjectTrust.trustsFile`) decides per file: an agent file new or changed since `codetether trust` is not.
   */
  projectTrusted?: boolean | FileTrustCheck;
  /** Resolves a custom agent's `model` (the host knows the providers); without it such an agent is refused. */
  resolveModel?: (model: string) => Promise<{ provider: Provider; model: string; modelInfo?: ModelInfo }>;
}

export function createTaskTool(options: TaskToolOptions = {}): Tool<typeof taskParameters> {
  return defineTool({
    id: "task",
    description: loadDescription(new URL("./task.txt", import.meta.url)),
    kind: "agent",
    parameters: taskParameters,
    async execute(args, ctx) {
      const parent = ctx.services?.agent instanceof Agent ? ctx.services.agent : undefined;
      let chosen = toolModel(ctx, options);
      const fromCtx = ctx.services?.registry;
      const registry =
        parent?.options.tools ??
        options.registry?.() ??
        (fromCtx instanceof ToolRegistry ? fromCtx : undefined);
      if (!chosen || !registry)
        return fail(
          "task cannot start a sub-agent here: no provider/model/tool registry was configured " +
            "(pass them to createTaskTool or run inside an Agent). Do the work directly instead.",
          { error: "not_configured" },
        );
      const available = registry.ids().filter((id) => !EXCLUDED.has(id));
      let ids = available;
      if (args.tools) {
        const unknown = args.tools.filter((t) => !available.includes(t));
        if (unknown.length)
          return fail(
            `Tools not available to a sub-agent: ${unknown.join(", ")}. Choose from: ${available.join(", ")}.`,
            { error: "invalid_tools" },
          );
        ids = args.tools;
      }
      let custom: CustomAgent | undefined;
      if (args.agent) {
        const dirs = options.agentDirs ?? {
          projectRoot: ctx.workspaceRoot,
          userConfigDir: configDir(),
          projectTrusted: options.projectTrusted ?? false,
        };
        const { agents, problems } = await loadCustomAgents(dirs);
        custom = agents.find((a) => a.name === args.agent);
        if (!custom) {
          // Why a definition of that name was skipped (a bad file, one linking outside the project), if one was.
          const skipped = problems.filter((p) => path.basename(p.split(":")[0] ?? "") === `${args.agent}.md`);
          return fail(
            `No custom agent "${args.agent}". Defined: ${agents.map((a) => a.name).join(", ") || "(none)"}.` +
              (skipped.length ? ` Skipped: ${skipped.join("; ")}` : ""),
            { error: "unknown_agent" },
          );
        }
      }
      if (custom?.model) {
        if (!options.resolveModel)
          return fail(
            `The custom agent "${custom.name}" names the model ${custom.model}, but this host cannot switch models. Remove its model line or run the task without agent.`,
            { error: "agent_model_unavailable" },
          );
        try {
          chosen = await options.resolveModel(custom.model);
        } catch (err) {
          return fail(
            `The custom agent "${custom.name}" names the model ${custom.model}, which cannot be used: ${(err as Error).message}`,
            { error: "agent_model_unavailable" },
          );
        }
      }
      const subTools = custom ? agentToolRegistry(registry.subset(ids), custom) : registry.subset(ids);
      const { provider, model, modelInfo } = chosen;
      const session = createSession({
        cwd: ctx.cwd,
        model: `${provider.id}/${model}`,
        title: args.description,
      });
      session.metadata.parentSessionId = ctx.sessionId;
      session.metadata.parentCallId = ctx.callId;
      session.metadata.taskDescription = args.description;
      if (custom) session.metadata.agent = custom.name;
      const store = options.store ?? parent?.options.store;
      const sub = new Agent({
        provider,
        model,
        tools: subTools,
        ...(custom ? { systemPrompt: custom.systemPrompt } : {}),
        cwd: ctx.cwd,
        workspaceRoot: ctx.workspaceRoot,
        session,
        maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
        ...(modelInfo ? { modelInfo } : {}),
        ...(store ? { store } : {}),
        ...(parent?.options.services ? { services: parent.options.services } : {}),
        // The parent's tool hooks (a policy, a formatter) hold for the sub-agent's tool calls too.
        ...(parent?.options.hooks ? { hooks: toolHooksOnly(parent.options.hooks) } : {}),
      });
      ctx.emit({
        type: "progress",
        text: `sub-agent started: ${args.description}`,
        data: { sessionId: session.id },
      });
      sub.subscribe((event) => {
        if (event.type === "tool-start")
          ctx.emit({ type: "progress", text: `sub-agent: ${event.tool}`, data: { sessionId: session.id } });
      });
      const end = await sub.runToEnd(args.prompt, { signal: ctx.signal });
      if (end.type === "error")
        return fail(`The sub-agent failed: ${end.message}`, { sessionId: session.id, error: end.kind });
      const text = end.text.trim() || "(the sub-agent finished without a final answer)";
      return {
        output: text + (end.reason === "max_steps" ? "\n\n[the sub-agent stopped at its step limit]" : ""),
        metadata: { sessionId: session.id, steps: end.steps, usage: end.usage },
      };
    },
  });
}

export const taskTool = createTaskTool();
