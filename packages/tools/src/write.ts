import fs from "node:fs/promises";
import { defineTool } from "@codetether/core";
import { z } from "zod";
import { loadDescription } from "./util/description.js";
import { applyFileChanges } from "./util/file-changes.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { splitLines } from "./util/text.js";

export const writeParameters = z.object({
  path: z.string().min(1).describe("File to write (relative to the working directory, or absolute)"),
  content: z.string().describe("The complete new content of the file"),
});

export const writeTool = defineTool({
  id: "write",
  description: loadDescription(new URL("./write.txt", import.meta.url)),
  kind: "write",
  parameters: writeParameters,
  paths: (args) => [args.path],
  async execute(args, ctx) {
    const abs = resolvePath(ctx, args.path);
    const kind = await pathKind(abs);
    if (kind === "directory")
      return fail(`${displayPath(ctx, abs)} is a directory; give a file path to write.`, {
        error: "is_directory",
      });
    const before = kind === "file" ? await fs.readFile(abs, "utf8") : undefined;
    await applyFileChanges(ctx, "write", [{ path: abs, content: args.content }]);
    const lines = args.content === "" ? 0 : splitLines(args.content).length;
    return {
      output: `${before === undefined ? "Created" : "Wrote"} ${displayPath(ctx, abs)} (${lines} lines, ${Buffer.byteLength(args.content)} bytes).`,
      metadata: { path: abs, created: before === undefined, bytes: Buffer.byteLength(args.content) },
    };
  },
});
