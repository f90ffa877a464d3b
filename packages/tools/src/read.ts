import fs from "node:fs/promises";
import { ConfinementError, defineTool, lazySchema, readFileConfined, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { formatReadWindow, READ_DEFAULT_LIMIT } from "./read-window.js";
import { loadDescription } from "./util/description.js";
import { filePolicy } from "./util/file-access.js";
import { displayPath, missingFileMessage, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { isBinary, splitLines } from "./util/text.js";

/** Files above this size are refused without offset/limit paging being useful: the model gets told. */
const MAX_BYTES = 50 * 1024 * 1024;

export const readParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      path: z.string().min(1).describe("File to read (relative to the working directory, or absolute)"),
      offset: z.number().int().min(1).optional().describe("First line to return, 1-based (default 1)"),
      limit: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe(`Maximum lines to return (default ${READ_DEFAULT_LIMIT})`),
    }),
  ),
  TOOL_JSON_SCHEMAS.read,
);

export const readTool = defineTool({
  id: "read",
  description: loadDescription(new URL("./read.txt", import.meta.url)),
  kind: "read",
  parameters: readParameters,
  paths: (args) => [args.path],
  async execute(args, ctx) {
    const abs = resolvePath(ctx, args.path);
    const kind = await pathKind(abs);
    if (kind === "missing") return fail(await missingFileMessage(ctx, abs), { error: "not_found" });
    if (kind === "directory")
      return fail(
        `${displayPath(ctx, abs)} is a directory, not a file. Use the list tool to see its entries.`,
        {
          error: "is_directory",
        },
      );
    if (kind !== "file") return fail(`${displayPath(ctx, abs)} is not a regular file.`);
    const stat = await fs.stat(abs);
    if (stat.size > MAX_BYTES)
      return fail(
        `${displayPath(ctx, abs)} is ${stat.size} bytes, over the ${MAX_BYTES}-byte limit of read. ` +
          "Use grep or bash (head, sed -n) to look at parts of it.",
      );
    // Opened, then checked where the descriptor really is: a symlink swapped in after the gate cannot leak.
    let data: Buffer;
    try {
      data = (await readFileConfined(abs, filePolicy(ctx, "read", "read"))).data;
    } catch (err) {
      if (err instanceof ConfinementError) return fail(err.message, { error: "confinement" });
      throw err;
    }
    if (isBinary(data))
      return fail(
        `${displayPath(ctx, abs)} is a binary file (${data.length} bytes); read shows text only. ` +
          "Use the image tool for pictures, or bash (e.g. `xxd | head`) to inspect bytes.",
        { error: "binary" },
      );
    const window = formatReadWindow(
      splitLines(data.toString("utf8")),
      displayPath(ctx, abs),
      args.offset,
      args.limit,
    );
    if (!window.ok) return fail(window.error);
    return { output: window.output, metadata: { path: abs, ...window.stats } };
  },
});
