import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { NO_GATE, planGate, recordPlanMode } from "./util/plan-mode.js";
import { fail } from "./util/result.js";

export const planEnterParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      goal: z.string().optional().describe("What the plan is for"),
    }),
  ),
  TOOL_JSON_SCHEMAS.plan_enter,
);

export const planEnterTool = defineTool({
  id: "plan_enter",
  description: loadDescription(new URL("./plan_enter.txt", import.meta.url)),
  kind: "other",
  parameters: planEnterParameters,
  async execute(args, ctx) {
    const gate = planGate(ctx);
    if (!gate) return fail(NO_GATE, { error: "no_gate" });
    if (gate.planMode) return { output: "Already in plan mode." };
    gate.planMode = true;
    recordPlanMode(ctx, true);
    return {
      output:
        "Plan mode is on: tools that write files or run commands are refused until plan_exit." +
        (args.goal ? ` Goal: ${args.goal}` : ""),
      metadata: { planMode: true },
    };
  },
});
