import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { planEdit, readForEdit } from "./util/edit-plan.js";
import { lockedFileOperation } from "./util/file-access.js";
import { applyFileChanges } from "./util/file-changes.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { encodeText } from "./util/text-format.js";

export const editParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      path: z.string().min(1).describe("File to edit"),
      oldString: z.string().describe("Exact text to replace (empty only to create a new file)"),
      newString: z.string().describe("Replacement text"),
      replaceAll: z.boolean().optional().describe("Replace every occurrence (default false)"),
    }),
  ),
  TOOL_JSON_SCHEMAS.edit,
);

export const editTool = defineTool({
  id: "edit",
  description: loadDescription(new URL("./edit.txt", import.meta.url)),
  kind: "write",
  parameters: editParameters,
  paths: (args) => [args.path],
  async execute(args, ctx) {
    const abs = resolvePath(ctx, args.path);
    return lockedFileOperation([abs], async () => {
      if (args.oldString === "") {
        if ((await pathKind(abs)) !== "missing")
          return fail(
            `oldString is empty but ${displayPath(ctx, abs)} already exists. Give the text to replace, or use write to replace the whole file.`,
          );
        await applyFileChanges(ctx, "edit", [{ path: abs, content: args.newString }]);
        return { output: `Created ${displayPath(ctx, abs)}.`, metadata: { path: abs, created: true } };
      }
      const read = await readForEdit(ctx, abs, "edit");
      if (!read.ok) return fail(read.error, { error: "edit_failed" });
      const plan = planEdit(ctx, abs, read.content, args, read.format);
      if (!plan.ok) return fail(plan.error, { error: "edit_failed" });
      await applyFileChanges(ctx, "edit", [{ path: abs, content: encodeText(plan.content, read.format) }]);
      return {
        output:
          `Edited ${displayPath(ctx, abs)}: ${plan.replacements} replacement${plan.replacements === 1 ? "" : "s"}` +
          (plan.matcher === "exact" ? "." : ` (${plan.matcher} match).`),
        metadata: { path: abs, matcher: plan.matcher, replacements: plan.replacements },
      };
    });
  },
});
