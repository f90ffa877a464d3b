import fs from "node:fs/promises";
import { defineTool } from "@codetether/core";
import { z } from "zod";
import { loadDescription } from "./util/description.js";
import { displayPath, missingFileMessage, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { isBinary, splitLines } from "./util/text.js";

const DEFAULT_LIMIT = 2000;
const MAX_LINE = 2000;
/** Files above this size are refused without offset/limit paging being useful: the model gets told. */
const MAX_BYTES = 50 * 1024 * 1024;

export const readParameters = z.object({
  path: z.string().min(1).describe("File to read (relative to the working directory, or absolute)"),
  offset: z.number().int().min(1).optional().describe("First line to return, 1-based (default 1)"),
  limit: z.number().int().min(1).optional().describe(`Maximum lines to return (default ${DEFAULT_LIMIT})`),
});

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
    const data = await fs.readFile(abs);
    if (isBinary(data))
      return fail(
        `${displayPath(ctx, abs)} is a binary file (${data.length} bytes); read shows text only. ` +
          "Use the image tool for pictures, or bash (e.g. `xxd | head`) to inspect bytes.",
        { error: "binary" },
      );
    const lines = splitLines(data.toString("utf8"));
    const offset = args.offset ?? 1;
    const limit = args.limit ?? DEFAULT_LIMIT;
    if (lines.length > 0 && offset > lines.length)
      return fail(
        `offset ${offset} is past the end of ${displayPath(ctx, abs)}, which has ${lines.length} lines.`,
      );
    const slice = lines.slice(offset - 1, offset - 1 + limit);
    const width = String(offset - 1 + slice.length).length;
    const body = slice
      .map((line, i) => {
        const text = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… [line cut]` : line;
        return `${String(offset + i).padStart(Math.max(width, 4))}| ${text}`;
      })
      .join("\n");
    const last = offset - 1 + slice.length;
    const more = last < lines.length;
    const footer =
      lines.length === 0
        ? "(empty file)"
        : more
          ? `\n\n(lines ${offset}-${last} of ${lines.length}; continue with offset ${last + 1})`
          : "";
    return {
      output: body + footer,
      metadata: { path: abs, totalLines: lines.length, readLines: slice.length, truncated: more },
    };
  },
});
