import fs from "node:fs/promises";
import path from "node:path";
import { defineTool, lazySchema, withJsonSchema } from "@codetether/core";
import picomatch from "picomatch";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { loadDescription } from "./util/description.js";
import { confinedSearch } from "./util/file-access.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { walkFiles } from "./util/walk.js";

export const globParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      pattern: z.string().min(1).describe('Glob pattern, e.g. "src/**/*.ts"'),
      path: z.string().min(1).optional().describe("Directory to search (default: the working directory)"),
      limit: z.number().int().min(1).max(10_000).optional().describe("Maximum results (default 100)"),
    }),
  ),
  TOOL_JSON_SCHEMAS.glob,
);

export const globTool = defineTool({
  id: "glob",
  description: loadDescription(new URL("./glob.txt", import.meta.url)),
  kind: "read",
  parameters: globParameters,
  paths: (args) => [args.path ?? "."],
  async execute(args, ctx) {
    const root = resolvePath(ctx, args.path ?? ".");
    if ((await pathKind(root)) !== "directory")
      return fail(`Search directory not found or not a directory: ${displayPath(ctx, root)}.`);
    const { refused, inside } = confinedSearch(ctx, "glob", root);
    if (refused) return refused;
    const limit = args.limit ?? 100;
    const pattern = args.pattern.replace(/^(\.\/)+/, "");
    const isMatch = picomatch(pattern, { dot: true });
    const matchBase = !pattern.includes("/");
    const hits: Array<{ abs: string; mtime: number }> = [];
    for await (const abs of walkFiles(root, { signal: ctx.signal, workspaceRoot: ctx.workspaceRoot })) {
      const rel = path.relative(root, abs).split(path.sep).join("/");
      if (!isMatch(rel) && !(matchBase && isMatch(path.basename(abs)))) continue;
      if (!inside(abs)) continue;
      const st = await fs.stat(abs).catch(() => undefined);
      hits.push({ abs, mtime: st?.mtimeMs ?? 0 });
    }
    if (hits.length === 0)
      return {
        output: `No files match "${args.pattern}" under ${displayPath(ctx, root) || "."} (files ignored by .gitignore are skipped).`,
        metadata: { count: 0 },
      };
    hits.sort((a, b) => b.mtime - a.mtime || a.abs.localeCompare(b.abs));
    const shown = hits.slice(0, limit).map((h) => displayPath(ctx, h.abs));
    const note =
      hits.length > limit ? `\n(${hits.length - limit} more matches; narrow the pattern or raise limit)` : "";
    return {
      output: shown.join("\n") + note,
      metadata: { count: hits.length, truncated: hits.length > limit },
    };
  },
});
