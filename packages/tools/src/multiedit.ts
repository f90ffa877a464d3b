import { defineTool } from "@codetether/core";
import { z } from "zod";
import { loadDescription } from "./util/description.js";
import { planEdit, readForEdit } from "./util/edit-plan.js";
import { applyFileChanges } from "./util/file-changes.js";
import { displayPath, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";

export const multieditParameters = z.object({
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
});

export const multieditTool = defineTool({
  id: "multiedit",
  description: loadDescription(new URL("./multiedit.txt", import.meta.url)),
  kind: "write",
  parameters: multieditParameters,
  paths: (args) => args.edits.map((e) => e.path),
  async execute(args, ctx) {
    const contents = new Map<string, string>();
    for (const [i, edit] of args.edits.entries()) {
      const abs = resolvePath(ctx, edit.path);
      let current = contents.get(abs);
      if (current === undefined) {
        const read = await readForEdit(ctx, abs);
        if (!read.ok)
          return fail(`Edit ${i + 1} of ${args.edits.length}: ${read.error} No file was changed.`);
        current = read.content;
      }
      const plan = planEdit(ctx, abs, current, edit);
      if (!plan.ok)
        return fail(`Edit ${i + 1} of ${args.edits.length}: ${plan.error} No file was changed.`, {
          error: "edit_failed",
          failedEdit: i,
        });
      contents.set(abs, plan.content);
    }
    await applyFileChanges(
      ctx,
      "multiedit",
      [...contents].map(([path, content]) => ({ path, content })),
    );
    const files = [...contents.keys()].map((f) => displayPath(ctx, f));
    return {
      output: `Applied ${args.edits.length} edits to ${files.length} file${files.length === 1 ? "" : "s"}: ${files.join(", ")}.`,
      metadata: { files: [...contents.keys()], edits: args.edits.length },
    };
  },
});
