import {
  closestNames,
  defineTool,
  lazySchema,
  type Tool,
  ToolRegistry,
  withJsonSchema,
} from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { fail } from "./util/result.js";

export const invalidParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      tool: z.string().describe("The tool name that was requested"),
      error: z.string().optional().describe("Why the call was invalid"),
    }),
  ),
  TOOL_JSON_SCHEMAS.invalid,
);

/** `invalid` suggests from `toolIds()` (the registry's ids), or from `ctx.services.registry`. */
export function createInvalidTool(toolIds?: () => string[]): Tool<typeof invalidParameters> {
  return defineTool({
    id: "invalid",
    description: loadDescription(new URL("./invalid.txt", import.meta.url)),
    kind: "other",
    parameters: invalidParameters,
    async execute(args, ctx) {
      const registry = ctx.services?.registry;
      const ids = (toolIds?.() ?? (registry instanceof ToolRegistry ? registry.ids() : [])).filter(
        (id) => id !== "invalid",
      );
      const suggestions = closestNames(args.tool, ids, 3);
      return fail(
        `Unknown tool "${args.tool}".` +
          (args.error ? ` ${args.error}` : "") +
          (suggestions.length ? ` Did you mean: ${suggestions.join(", ")}?` : "") +
          (ids.length ? ` Available tools: ${ids.join(", ")}.` : ""),
        { error: "unknown_tool", suggestions },
      );
    },
  });
}

export const invalidTool = createInvalidTool();
