import {
  Agent,
  defineTool,
  lazySchema,
  type Tool,
  ToolRegistry,
  type ToolResult,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { fail } from "./util/result.js";

const MAX_CALLS = 25;

export const batchParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      calls: z
        .array(
          z.object({
            tool: z.string().min(1).describe("Tool id"),
            args: z.record(z.string(), z.unknown()).default({}).describe("Arguments of that tool"),
          }),
        )
        .min(1)
        .max(MAX_CALLS)
        .describe("Independent tool calls to run concurrently"),
    }),
  ),
  TOOL_JSON_SCHEMAS.batch,
);

/**
 * `batch` runs calls through the running agent's registry (`ctx.services.agent`), else `registry()`
 * (the registry it is registered in), else `ctx.services.registry`.
 * Going through the registry means every call is validated and permission-checked on its own.
 */
export function createBatchTool(registry?: () => ToolRegistry | undefined): Tool<typeof batchParameters> {
  return defineTool({
    id: "batch",
    description: loadDescription(new URL("./batch.txt", import.meta.url)),
    kind: "other",
    parameters: batchParameters,
    async execute(args, ctx) {
      // The running agent's own registry first: a sub-agent's batch must stay within its tool subset.
      const agent = ctx.services?.agent;
      const fromCtx = ctx.services?.registry;
      const target =
        (agent instanceof Agent ? agent.options.tools : undefined) ??
        registry?.() ??
        (fromCtx instanceof ToolRegistry ? fromCtx : undefined);
      if (!target) return fail("batch is not connected to a tool registry; call the tools one by one.");
      const nested = args.calls.findIndex((c) => c.tool === "batch");
      if (nested !== -1)
        return fail(
          `Call ${nested + 1} is a nested batch, which is not allowed. Put all calls in one batch.`,
          {
            error: "nested_batch",
          },
        );
      const results: ToolResult[] = await Promise.all(
        args.calls.map((call, i) => {
          const callId = `${ctx.callId}.${i + 1}`;
          return target.execute(
            { id: callId, name: call.tool, arguments: JSON.stringify(call.args) },
            { ...ctx, callId },
          );
        }),
      );
      const failed = results.filter((r) => r.isError).length;
      const output = results
        .map((r, i) => `### ${i + 1}. ${args.calls[i]!.tool}${r.isError ? " (error)" : ""}\n${r.output}`)
        .join("\n\n");
      return {
        output: `${output}\n\n(${results.length - failed} succeeded, ${failed} failed)`,
        ...(failed === results.length ? { isError: true } : {}),
        metadata: { results: results.map((r) => ({ isError: r.isError ?? false, metadata: r.metadata })) },
      };
    },
  });
}
