import { defineTool, lazySchema, type ToolContext, type ToolResult, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { readForEdit } from "./util/edit-plan.js";
import { lockedFileOperation } from "./util/file-access.js";
import { applyFileChanges, type FileChange } from "./util/file-changes.js";
import { applyHunks, HunkError } from "./util/patch-apply.js";
import { PatchParseError, parsePatch, patchPaths } from "./util/patch-parse.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { encodeText, type TextFormat } from "./util/text-format.js";

export const applyPatchParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      patch: z.string().min(1).describe("Unified diff or *** Begin Patch envelope"),
      dryRun: z.boolean().optional().describe("Only check that the patch applies; write nothing"),
    }),
  ),
  TOOL_JSON_SCHEMAS.apply_patch,
);

export const applyPatchTool = defineTool({
  id: "apply_patch",
  description: loadDescription(new URL("./apply_patch.txt", import.meta.url)),
  kind: "write",
  parameters: applyPatchParameters,
  paths: (args) => patchPaths(args.patch),
  async execute(args, ctx) {
    let ops: ReturnType<typeof parsePatch>;
    try {
      ops = parsePatch(args.patch);
    } catch (err) {
      if (err instanceof PatchParseError) return fail(`Invalid patch: ${err.message}`, { error: "parse" });
      throw err;
    }
    const paths = ops.flatMap((op) => (op.type === "update" && op.moveTo ? [op.path, op.moveTo] : [op.path]));
    return lockedFileOperation(
      paths.map((p) => resolvePath(ctx, p)),
      () => applyOps(ops, args.dryRun ?? false, ctx),
    );
  },
});

/** Plans every change in memory first (any problem aborts before a single write), then writes them. */
async function applyOps(
  ops: ReturnType<typeof parsePatch>,
  dryRun: boolean,
  ctx: ToolContext,
): Promise<ToolResult> {
  // Working text (LF, no BOM) per path; the formats of files read, to write them back the same way.
  const planned = new Map<string, string | null>();
  const formats = new Map<string, TextFormat>();
  const current = async (abs: string): Promise<string | null | undefined> => {
    if (planned.has(abs)) return planned.get(abs);
    const kind = await pathKind(abs);
    if (kind === "missing") return null;
    const read = await readForEdit(ctx, abs, "apply_patch");
    if (!read.ok) throw new HunkError(read.error);
    formats.set(abs, read.format);
    return read.content;
  };
  const summary: string[] = [];
  try {
    for (const op of ops) {
      const abs = resolvePath(ctx, op.path);
      const label = displayPath(ctx, abs);
      const existing = await current(abs);
      if (op.type === "add") {
        if (typeof existing === "string")
          throw new HunkError(`Cannot add ${label}: it already exists. Use an update section instead.`);
        planned.set(abs, op.content);
        summary.push(`A ${label}`);
      } else if (op.type === "delete") {
        if (existing === null) throw new HunkError(`Cannot delete ${label}: it does not exist.`);
        planned.set(abs, null);
        summary.push(`D ${label}`);
      } else {
        if (existing === null || existing === undefined)
          throw new HunkError(`Cannot update ${label}: it does not exist. Use an add section to create it.`);
        const next = applyHunks(existing, op.hunks, label);
        if (op.moveTo) {
          const dest = resolvePath(ctx, op.moveTo);
          if (dest !== abs) {
            if (typeof (await current(dest)) === "string")
              throw new HunkError(`Cannot move ${label} to ${displayPath(ctx, dest)}: the target exists.`);
            planned.set(abs, null);
            const format = formats.get(abs);
            if (format) formats.set(dest, format);
          }
          planned.set(dest, next);
          summary.push(`R ${label} -> ${displayPath(ctx, dest)}`);
        } else {
          planned.set(abs, next);
          summary.push(`M ${label}`);
        }
      }
    }
  } catch (err) {
    if (err instanceof HunkError) return fail(err.message, { error: "hunk_failed" });
    throw err;
  }
  const changes: FileChange[] = [...planned].map(([path, text]) => {
    const format = formats.get(path);
    return { path, content: text !== null && format ? encodeText(text, format) : text };
  });
  if (dryRun)
    return { output: `The patch applies cleanly (dry run, nothing written):\n${summary.join("\n")}` };
  await applyFileChanges(ctx, "apply_patch", changes);
  return {
    output: `Applied the patch:\n${summary.join("\n")}`,
    metadata: { files: changes.map((c) => c.path), summary },
  };
}
