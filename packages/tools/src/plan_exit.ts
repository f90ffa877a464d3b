import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { NO_GATE, planGate, recordPlanMode } from "./util/plan-mode.js";
import { fail } from "./util/result.js";

export const planExitParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      plan: z.string().min(1).describe("The finished plan"),
    }),
  ),
  TOOL_JSON_SCHEMAS.plan_exit,
);

export const planExitTool = defineTool({
  id: "plan_exit",
  description: loadDescription(new URL("./plan_exit.txt", import.meta.url)),
  kind: "other",
  parameters: planExitParameters,
  async execute(args, ctx) {
    const gate = planGate(ctx);
    if (!gate) return fail(NO_GATE, { error: "no_gate" });
    if (!gate.planMode) return fail("Not in plan mode; call plan_enter first if you want to plan.");
    gate.planMode = false;
    recordPlanMode(ctx, false, args.plan);
    return {
      output: `Plan mode is off; all tools are available again.\n\nPlan:\n${args.plan}`,
      metadata: { planMode: false },
    };
  },
});
