import path from "node:path";
import {
  type ConfinementPolicy,
  defineTool,
  lazySchema,
  openFileConfined,
  toolFilePolicy,
  withJsonSchema,
} from "@codetether/core";
import picomatch from "picomatch";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { deniedPathFilter } from "./util/denied-paths.js";
import { loadDescription } from "./util/description.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { isBinary } from "./util/text.js";
import { VENDORED_DIRS, walkFiles } from "./util/walk.js";

const MAX_FILE_BYTES = 2 * 1024 * 1024;

export const codesearchParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      pattern: z.string().min(1).describe("Regular expression (JavaScript syntax)"),
      path: z.string().min(1).optional().describe("Directory or file to search (default: working directory)"),
      filePattern: z.string().min(1).optional().describe('Glob of files to search, e.g. "*.ts"'),
      contextLines: z
        .number()
        .int()
        .min(0)
        .max(20)
        .optional()
        .describe("Context lines around matches (default 2)"),
      caseSensitive: z.boolean().optional().describe("Match case (default false)"),
      limit: z.number().int().min(1).max(1000).optional().describe("Maximum matches (default 50)"),
    }),
  ),
  TOOL_JSON_SCHEMAS.codesearch,
);

export const codesearchTool = defineTool({
  id: "codesearch",
  description: loadDescription(new URL("./codesearch.txt", import.meta.url)),
  kind: "read",
  parameters: codesearchParameters,
  paths: (args) => [args.path ?? "."],
  async execute(args, ctx) {
    let regex: RegExp;
    try {
      regex = new RegExp(args.pattern, args.caseSensitive ? "" : "i");
    } catch (err) {
      return fail(`Invalid regular expression ${JSON.stringify(args.pattern)}: ${(err as Error).message}.`, {
        error: "invalid_regex",
      });
    }
    const root = resolvePath(ctx, args.path ?? ".");
    const kind = await pathKind(root);
    if (kind === "missing") return fail(`Search path not found: ${displayPath(ctx, root)}.`);
    const context = args.contextLines ?? 2;
    const limit = args.limit ?? 50;
    const include = args.filePattern ? picomatch(args.filePattern, { dot: true }) : undefined;
    const files: AsyncIterable<string> | string[] =
      kind === "file"
        ? [root]
        : walkFiles(root, { skipDirs: VENDORED_DIRS, signal: ctx.signal, workspaceRoot: ctx.workspaceRoot });
    const denied = deniedPathFilter(ctx, "codesearch");
    // Each file is opened and checked where it really is: a folder swapped for a symlink after the gate (a
    // parallel bash call) cannot lead the search outside the workspace.
    const policy = toolFilePolicy(ctx, "codesearch", "read");
    const blocks: string[] = [];
    let count = 0;
    let more = false;
    for await (const file of files) {
      if (include) {
        const rel = path.relative(root, file).split(path.sep).join("/");
        if (!include(rel) && !include(path.basename(file))) continue;
      }
      if (denied(file)) continue;
      const data = await readConfined(file, policy);
      if (!data || isBinary(data)) continue;
      const lines = data.toString("utf8").split(/\r?\n/);
      const hits: number[] = [];
      for (let i = 0; i < lines.length; i++) if (regex.test(lines[i]!)) hits.push(i);
      const hitSet = new Set(hits);
      if (hits.length === 0) continue;
      const out: string[] = [`${displayPath(ctx, file)}:`];
      let shownUntil = -1;
      for (const hit of hits) {
        if (count >= limit) {
          more = true;
          break;
        }
        count++;
        const from = Math.max(hit - context, shownUntil + 1);
        if (shownUntil >= 0 && from > shownUntil + 1) out.push("  --");
        const to = Math.min(lines.length - 1, hit + context);
        for (let i = from; i <= to; i++) {
          const marker = hitSet.has(i) ? ">" : " ";
          out.push(`${marker}${String(i + 1).padStart(5)}| ${lines[i]!.slice(0, 500)}`);
        }
        shownUntil = to;
      }
      blocks.push(out.join("\n"));
      if (more) break;
    }
    if (count === 0) return { output: `No matches for /${args.pattern}/.`, metadata: { count: 0 } };
    return {
      output: blocks.join("\n\n") + (more ? `\n\n(stopped after ${limit} matches; narrow the search)` : ""),
      metadata: { count, truncated: more },
    };
  },
});

/** A file's bytes when it is a regular file inside the roots and not too large; undefined otherwise. */
async function readConfined(file: string, policy: ConfinementPolicy): Promise<Buffer | undefined> {
  const opened = await openFileConfined(file, policy).catch(() => undefined);
  if (!opened) return undefined;
  try {
    return opened.size > MAX_FILE_BYTES ? undefined : await opened.handle.readFile();
  } catch {
    return undefined;
  } finally {
    await opened.handle.close();
  }
}
