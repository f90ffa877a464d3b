import fs from "node:fs/promises";
import {
  defineTool,
  lazySchema,
  type Provider,
  type Tool,
  toolModel,
  withJsonSchema,
  writeFileConfined,
} from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "../generated/tool-json-schemas.js";
import { createPrd } from "../prd/create-prd.js";
import { validatePrd } from "../prd/prd-validate.js";
import { formatRalphStatus, ralphStatus } from "../run/ralph-status.js";
import description from "./prd.txt";
import { workspacePath } from "./workspace-path.js";

export const prdParameters = withJsonSchema(
  lazySchema(() =>
    z.discriminatedUnion("action", [
      z.object({ action: z.literal("analyze"), path: z.string().default("prd.json") }),
      z.object({
        action: z.literal("generate"),
        feature: z.string().min(1),
        project_name: z.string().min(1),
        description: z.string().optional(),
      }),
      z.object({
        action: z.literal("validate"),
        path: z.string().optional(),
        content: z.string().optional(),
      }),
      z.object({ action: z.literal("save"), path: z.string().default("prd.json"), content: z.string() }),
    ]),
  ),
  TOOL_JSON_SCHEMAS.prd,
);

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message}` };
  }
}

/**
 * The `prd` tool. Drafting stories from a description uses `provider`/`model`, or else the calling agent's current
 * model (`toolModel`); with neither, `generate` writes the template.
 */
export function createPrdTool(options: { provider?: Provider; model?: string } = {}): Tool {
  return defineTool({
    id: "prd",
    description,
    kind: "write",
    parameters: prdParameters,
    paths: (args) => ("path" in args && args.path ? [args.path] : []),
    async execute(args, ctx) {
      try {
        if (args.action === "analyze") {
          return { output: formatRalphStatus(await ralphStatus(workspacePath(args.path, ctx))) };
        }
        if (args.action === "generate") {
          const chosen = toolModel(ctx, options);
          const prd = await createPrd({
            feature: args.feature,
            projectName: args.project_name,
            ...(args.description ? { description: args.description } : {}),
            ...(chosen ? { provider: chosen.provider, model: chosen.model } : {}),
            signal: ctx.signal,
          });
          return { output: JSON.stringify(prd, null, 2) };
        }
        let text = args.content;
        if (args.action === "validate" && text === undefined) {
          if (!args.path) return { output: "Give `content` (PRD JSON text) or `path`.", isError: true };
          text = await fs.readFile(workspacePath(args.path, ctx), "utf8");
        }
        const json = parseJson(text ?? "");
        const verdict = json.ok ? validatePrd(json.value) : { ok: false as const, issues: [json.error] };
        if (!verdict.ok)
          return {
            output: `The PRD is invalid:\n${verdict.issues.map((i) => `- ${i}`).join("\n")}`,
            isError: true,
          };
        if (args.action === "validate")
          return {
            output: `Valid PRD: ${verdict.prd.user_stories.length} stories, ${verdict.prd.user_stories.filter((s) => s.passes).length} passing.`,
          };
        const target = workspacePath(args.path, ctx);
        // Opened and verified inside the workspace at write time (a symlink swapped in meanwhile is refused).
        await writeFileConfined(target, `${JSON.stringify(verdict.prd, null, 2)}\n`, {
          roots: [ctx.workspaceRoot],
        });
        return {
          output: `Saved ${args.path} (${verdict.prd.user_stories.length} stories).`,
          metadata: { path: target },
        };
      } catch (err) {
        return { output: (err as Error).message, isError: true };
      }
    },
  });
}
