import {
  Agent,
  callerTools,
  defineTool,
  lazySchema,
  noToolModel,
  type Provider,
  type Tool,
  type ToolRegistry,
  toolHooksOnly,
  toolModel,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "../generated/tool-json-schemas.js";
import { isCommandSandbox } from "../run/quality-checks.js";
import { formatRalphStatus, ralphStatus } from "../run/ralph-status.js";
import { runRalph } from "../run/run-ralph.js";
import description from "./ralph.txt";
import { workspacePath } from "./workspace-path.js";

export const ralphParameters = withJsonSchema(
  lazySchema(() =>
    z.discriminatedUnion("action", [
      z.object({
        action: z.literal("run"),
        prd_path: z.string().default("prd.json"),
        max_iterations: z.number().int().min(1).max(50).default(3),
      }),
      z.object({ action: z.literal("status"), prd_path: z.string().default("prd.json") }),
    ]),
  ),
  TOOL_JSON_SCHEMAS.ralph,
);

/**
 * The `ralph` tool. Story agents get `tools` without `ralph` itself, so a story cannot start
 * another loop recursively.
 */
/** Without `provider` + `model`, stories run on the calling agent's current model (`toolModel`). */
export function createRalphTool(options: { provider?: Provider; model?: string; tools: ToolRegistry }): Tool {
  return defineTool({
    id: "ralph",
    description,
    kind: "agent",
    parameters: ralphParameters,
    paths: (args) => [args.prd_path],
    async execute(args, ctx) {
      try {
        const prdPath = workspacePath(args.prd_path, ctx);
        if (args.action === "status") return { output: formatRalphStatus(await ralphStatus(prdPath)) };
        const chosen = toolModel(ctx, options);
        if (!chosen) return noToolModel("ralph");
        const sandbox = ctx.services?.sandbox;
        // The calling agent's tools (a narrowed agent must not widen through its story agents), without ralph.
        const base = callerTools(ctx, options.tools);
        const tools = base.subset(base.ids().filter((id) => id !== "ralph"));
        // The calling agent's tool hooks (a policy, a formatter) hold for the story agents too.
        const parent = ctx.services?.agent instanceof Agent ? ctx.services.agent : undefined;
        const result = await runRalph({
          prdPath,
          ...(parent?.options.hooks ? { hooks: toolHooksOnly(parent.options.hooks) } : {}),
          provider: chosen.provider,
          model: chosen.model,
          tools,
          // The host's command sandbox (set when bash is sandboxed): the PRD's checks are commands too.
          ...(isCommandSandbox(sandbox) ? { sandbox } : {}),
          maxIterations: args.max_iterations,
          signal: ctx.signal,
          onEvent: (event) => {
            if (event.type === "story-end")
              ctx.emit({
                type: "progress",
                text: `${event.storyId}: ${event.passed ? "passed" : `failed (${event.reason})`}`,
              });
          },
        });
        return {
          output: `Ralph ${result.status} after ${result.iterations} iterations. Passing: ${result.passed.join(", ") || "none"}. Remaining: ${result.remaining.join(", ") || "none"}.\n\n${formatRalphStatus(await ralphStatus(prdPath))}`,
          metadata: { status: result.status, commits: result.commits },
        };
      } catch (err) {
        return { output: (err as Error).message, isError: true };
      }
    },
  });
}
