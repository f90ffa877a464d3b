import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { planEdit, readForEdit } from "./util/edit-plan.js";
import { lockedFileOperation } from "./util/file-access.js";
import { applyFileChanges } from "./util/file-changes.js";
import { displayPath, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { encodeText, type TextFormat } from "./util/text-format.js";

export const multieditParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      edits: z
        .array(
          z.object({
            path: z.string().min(1).describe("File to edit"),
            oldString: z.string().min(1).describe("Exact text to replace"),
            newString: z.string().describe("Replacement text"),
            replaceAll: z.boolean().optional(),
          }),
        )
        .min(1)
        .describe("Edits applied in order"),
    }),
  ),
  TOOL_JSON_SCHEMAS.multiedit,
);

export const multieditTool = defineTool({
  id: "multiedit",
  description: loadDescription(new URL("./multiedit.txt", import.meta.url)),
  kind: "write",
  parameters: multieditParameters,
  paths: (args) => args.edits.map((e) => e.path),
  async execute(args, ctx) {
    const paths = args.edits.map((e) => resolvePath(ctx, e.path));
    return lockedFileOperation(paths, async () => {
      const contents = new Map<string, { text: string; format: TextFormat }>();
      for (const [i, edit] of args.edits.entries()) {
        const abs = resolvePath(ctx, edit.path);
        let current = contents.get(abs);
        if (current === undefined) {
          const read = await readForEdit(ctx, abs, "multiedit");
          if (!read.ok)
            return fail(`Edit ${i + 1} of ${args.edits.length}: ${read.error} No file was changed.`);
          current = { text: read.content, format: read.format };
        }
        const plan = planEdit(ctx, abs, current.text, edit, current.format);
        if (!plan.ok)
          return fail(`Edit ${i + 1} of ${args.edits.length}: ${plan.error} No file was changed.`, {
            error: "edit_failed",
            failedEdit: i,
          });
        contents.set(abs, { text: plan.content, format: current.format });
      }
      await applyFileChanges(
        ctx,
        "multiedit",
        [...contents].map(([path, { text, format }]) => ({ path, content: encodeText(text, format) })),
      );
      const files = [...contents.keys()].map((f) => displayPath(ctx, f));
      return {
        output: `Applied ${args.edits.length} edits to ${files.length} file${files.length === 1 ? "" : "s"}: ${files.join(", ")}.`,
        metadata: { files: [...contents.keys()], edits: args.edits.length },
      };
    });
  },
});
