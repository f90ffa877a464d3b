import path from "node:path";
import { defineTool, lazySchema, type Tool, withJsonSchema } from "@codetether/core";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "./generated/tool-json-schemas.js";
import { deniedPathFilter } from "./util/denied-paths.js";
import { loadDescription } from "./util/description.js";
import { confinedSearch } from "./util/file-access.js";
import { type GrepMatch, type GrepQuery, grepWithJs, grepWithRipgrep } from "./util/grep-engines.js";
import { displayPath, pathKind, resolvePath } from "./util/paths.js";
import { fail } from "./util/result.js";
import { which } from "./util/which.js";

const MAX_LINE = 500;

export const grepParameters = withJsonSchema(
  lazySchema(() =>
    z.object({
      pattern: z.string().min(1).describe("Text or regular expression to search for"),
      path: z.string().min(1).optional().describe("File or directory to search (default: working directory)"),
      regex: z
        .boolean()
        .optional()
        .describe("Treat pattern as a regular expression (default false: literal)"),
      include: z
        .union([z.string().min(1), z.array(z.string().min(1))])
        .optional()
        .describe('Glob(s) of files to search, e.g. "*.ts"'),
      caseSensitive: z.boolean().optional().describe("Match case (default false)"),
      limit: z.number().int().min(1).max(5000).optional().describe("Maximum matching lines (default 100)"),
    }),
  ),
  TOOL_JSON_SCHEMAS.grep,
);

export interface GrepToolOptions {
  /** Path of ripgrep, or false to always use the JS engine. Default: `rg` on PATH. */
  ripgrep?: string | false;
}

export function createGrepTool(options: GrepToolOptions = {}): Tool<typeof grepParameters> {
  return defineTool({
    id: "grep",
    description: loadDescription(new URL("./grep.txt", import.meta.url)),
    kind: "read",
    parameters: grepParameters,
    paths: (args) => [args.path ?? "."],
    async execute(args, ctx) {
      const root = resolvePath(ctx, args.path ?? ".");
      if ((await pathKind(root)) === "missing")
        return fail(`Search path not found: ${displayPath(ctx, root)}.`, { error: "not_found" });
      if (args.regex) {
        try {
          new RegExp(args.pattern);
        } catch (err) {
          return fail(
            `Invalid regular expression ${JSON.stringify(args.pattern)}: ${(err as Error).message}. ` +
              "Fix it, or drop `regex` to search for the literal text.",
            { error: "invalid_regex" },
          );
        }
      }
      const { refused, inside } = confinedSearch(ctx, "grep", root);
      if (refused) return refused;
      const limit = args.limit ?? 100;
      const denied = deniedPathFilter(ctx, "grep");
      const hidden = new Set<string>();
      const query: GrepQuery = {
        root,
        pattern: args.pattern,
        literal: !args.regex,
        caseSensitive: args.caseSensitive ?? false,
        ...(args.include ? { include: [args.include].flat() } : {}),
        limit,
        signal: ctx.signal,
        workspaceRoot: ctx.workspaceRoot,
        skip: (abs) => {
          if (!inside(abs)) return true;
          if (!denied(abs)) return false;
          hidden.add(abs);
          return true;
        },
      };
      const rg = options.ripgrep === false ? undefined : (options.ripgrep ?? which("rg"));
      let matches: GrepMatch[];
      let engine = rg ? "ripgrep" : "js";
      try {
        matches = rg ? await grepWithRipgrep(rg, query) : await grepWithJs(query);
      } catch (err) {
        if (!rg) throw err;
        // ripgrep's regex dialect differs from JavaScript's; fall back rather than fail.
        engine = "js";
        matches = await grepWithJs(query);
      }
      if (matches.length === 0)
        return { output: `No matches for ${JSON.stringify(args.pattern)}.`, metadata: { count: 0, engine } };
      const shown = matches.slice(0, limit);
      const lines = shown.map((m) => {
        const text = m.text.trim();
        const cut = text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}…` : text;
        return `${displayPath(ctx, path.resolve(ctx.cwd, m.file))}:${m.line}: ${cut}`;
      });
      const more =
        (matches.length > limit ? `\n(more matches not shown; narrow the search or raise limit)` : "") +
        (hidden.size ? `\n(${hidden.size} file(s) hidden by permission rules)` : "");
      return {
        output: lines.join("\n") + more,
        metadata: { count: shown.length, truncated: matches.length > limit, engine },
      };
    },
  });
}

export const grepTool = createGrepTool();
