import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { readForEdit } from "./util/edit-plan.js";
import { lockedFileOperation } from "./util/file-access.js";
import { applyFileChanges } from "./util/file-changes.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { splitLines } from "./util/text.js";
import { encodeText } from "./util/text-format.js";

export const writeParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      path: z.string().min(1).describe("File to write (relative to the working directory, or absolute)"),
      content: z.string().describe("The complete new content of the file"),
    }),
  ),
  TOOL_JSON_SCHEMAS.write,
);

export const writeTool = defineTool({
  id: "write",
  description: loadDescription(new URL("./write.txt", import.meta.url)),
  kind: "write",
  parameters: writeParameters,
  paths: (args) => [args.path],
  async execute(args, ctx) {
    const abs = resolvePath(ctx, args.path);
    return lockedFileOperation([abs], async () => {
      const kind = await pathKind(abs);
      if (kind === "directory")
        return fail(`${displayPath(ctx, abs)} is a directory; give a file path to write.`, {
          error: "is_directory",
        });
      // An existing text file keeps its line endings, BOM and final-newline convention.
      let content = args.content;
      if (kind === "file") {
        const existing = await readForEdit(ctx, abs, "write");
        if (existing.ok) content = encodeText(args.content, existing.format);
        else if (!existing.error.includes("binary")) return fail(existing.error, { error: "write_failed" });
      }
      await applyFileChanges(ctx, "write", [{ path: abs, content }]);
      const lines = content === "" ? 0 : splitLines(content).length;
      const bytes = Buffer.byteLength(content);
      return {
        output: `${kind === "file" ? "Wrote" : "Created"} ${displayPath(ctx, abs)} (${lines} lines, ${bytes} bytes).`,
        metadata: { path: abs, created: kind !== "file", bytes },
      };
    });
  },
});
