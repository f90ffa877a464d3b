import fs from "node:fs/promises";
import path from "node:path";
import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import ignore from "ignore";
import picomatch from "picomatch";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { confinedSearch } from "./util/file-access.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";

const MAX_ENTRIES = 1000;

export const listParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      path: z.string().min(1).optional().describe("Directory to list (default: the working directory)"),
      ignore: z.array(z.string()).optional().describe("Glob patterns of names to leave out"),
    }),
  ),
  TOOL_JSON_SCHEMAS.list,
);

export const listTool = defineTool({
  id: "list",
  description: loadDescription(new URL("./list.txt", import.meta.url)),
  kind: "read",
  parameters: listParameters,
  paths: (args) => [args.path ?? "."],
  async execute(args, ctx) {
    const abs = resolvePath(ctx, args.path ?? ".");
    const kind = await pathKind(abs);
    if (kind === "missing")
      return fail(`Directory not found: ${displayPath(ctx, abs)}.`, { error: "not_found" });
    if (kind !== "directory")
      return fail(`${displayPath(ctx, abs)} is a file, not a directory. Use the read tool for files.`);
    const { refused } = confinedSearch(ctx, "list", abs);
    if (refused) return refused;
    const gitignore = ignore();
    await fs
      .readFile(path.join(abs, ".gitignore"), "utf8")
      .then((t) => gitignore.add(t))
      .catch(() => {});
    const skip = args.ignore?.length ? picomatch(args.ignore, { dot: true }) : () => false;
    const entries = (await fs.readdir(abs, { withFileTypes: true }))
      .filter((e) => e.name !== ".git" && !skip(e.name))
      .filter((e) => !gitignore.ignores(e.isDirectory() ? `${e.name}/` : e.name))
      .map((e) => e.name + (e.isSymbolicLink() ? "@" : e.isDirectory() ? "/" : ""))
      .sort();
    const shown = entries.slice(0, MAX_ENTRIES);
    const note =
      entries.length > MAX_ENTRIES ? `\n(${entries.length - MAX_ENTRIES} more entries not shown)` : "";
    return {
      output: shown.length
        ? `${displayPath(ctx, abs) || "."}:\n${shown.join("\n")}${note}`
        : "(empty directory)",
      metadata: { path: abs, count: entries.length },
    };
  },
});
