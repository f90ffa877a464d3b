import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { fail } from "./util/result.js";

export const questionParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      question: z.string().min(1).describe("The question for the user"),
      options: z.array(z.string().min(1)).max(10).optional().describe("Suggested answers to choose from"),
    }),
  ),
  TOOL_JSON_SCHEMAS.question,
);

export const questionTool = defineTool({
  id: "question",
  description: loadDescription(new URL("./question.txt", import.meta.url)),
  kind: "other",
  parameters: questionParameters,
  async execute(args, ctx) {
    if (!ctx.ask)
      return fail(
        "No user is available to answer: this run is non-interactive. Make a reasonable decision yourself, " +
          "state the assumption in your answer, and continue.",
        { error: "non_interactive" },
      );
    const answer = await ctx.ask({
      question: args.question,
      ...(args.options ? { options: args.options } : {}),
    });
    return { output: `The user answered: ${answer}`, metadata: { answer } };
  },
});
