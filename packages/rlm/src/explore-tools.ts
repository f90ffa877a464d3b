import { defineTool, lazySchema, type Tool } from "@codetether/core";
import { z } from "zod";
import { capOutput, type RlmState } from "./rlm-state.js";
import { compilePattern } from "./safe-pattern.js";

const lineCount = lazySchema(() => z.number().int().min(1).max(500));

async function numbered(state: RlmState, start: number, end: number, signal: AbortSignal): Promise<string> {
  const out: string[] = [];
  let size = 0;
  for await (const line of state.env.lines(start, end, signal)) {
    const text = `${line.lineNo}: ${line.text}`;
    out.push(text);
    size += text.length + 1;
    if (size > state.maxOutputChars) break;
  }
  return out.length ? capOutput(out.join("\n"), state.maxOutputChars) : "(no lines in that range)";
}

/** rlm_head, rlm_tail, rlm_slice, rlm_grep, rlm_count: read-only views of the content. */
export function createExploreTools(state: RlmState): Tool[] {
  const head = defineTool({
    id: "rlm_head",
    description: "Show the first lines of the content, with line numbers.",
    kind: "read",
    parameters: z.object({ lines: lineCount.default(20).describe("How many lines (1-500, default 20)") }),
    async execute({ lines }, ctx) {
      return { output: await numbered(state, 1, lines, ctx.signal) };
    },
  });
  const tail = defineTool({
    id: "rlm_tail",
    description: "Show the last lines of the content, with line numbers.",
    kind: "read",
    parameters: z.object({ lines: lineCount.default(20).describe("How many lines (1-500, default 20)") }),
    async execute({ lines }, ctx) {
      const total = state.env.totalLines;
      return { output: await numbered(state, total - lines + 1, total, ctx.signal) };
    },
  });
  const slice = defineTool({
    id: "rlm_slice",
    description:
      "Show a range of lines (1-based, inclusive) or one chunk by its number from the chunk list. " +
      "Long ranges are cut at the output limit.",
    kind: "read",
    parameters: z
      .object({
        start_line: z.number().int().min(1).optional(),
        end_line: z.number().int().min(1).optional(),
        chunk: z.number().int().min(0).optional().describe("Chunk number instead of a line range"),
      })
      .refine((a) => a.chunk !== undefined || a.start_line !== undefined, {
        message: "give start_line (and end_line) or chunk",
      }),
    async execute(args, ctx) {
      if (args.chunk !== undefined) {
        const chunk = state.env.chunks[args.chunk];
        if (!chunk) {
          return {
            output: `No chunk ${args.chunk}: chunks are 0..${state.env.chunks.length - 1}.`,
            isError: true,
          };
        }
        return { output: await numbered(state, chunk.startLine, chunk.endLine, ctx.signal) };
      }
      const start = args.start_line ?? 1;
      const end = args.end_line ?? start + 99;
      if (end < start) return { output: `end_line ${end} is before start_line ${start}.`, isError: true };
      if (start > state.env.totalLines) {
        return {
          output: `start_line ${start} is past the end: the content has ${state.env.totalLines} lines.`,
          isError: true,
        };
      }
      return { output: await numbered(state, start, end, ctx.signal) };
    },
  });
  const grep = defineTool({
    id: "rlm_grep",
    description:
      "Find lines matching a regex (or literal text) in the whole content. Shows matching lines with " +
      "line numbers (up to max_matches) and the total number of matches.",
    kind: "read",
    parameters: z.object({
      pattern: z.string().min(1),
      ignore_case: z.boolean().default(false),
      max_matches: z.number().int().min(1).max(200).default(50),
    }),
    async execute({ pattern, ignore_case, max_matches }, ctx) {
      let matcher: ReturnType<typeof compilePattern>;
      try {
        matcher = compilePattern(pattern, { ignoreCase: ignore_case });
      } catch (err) {
        return { output: (err as Error).message, isError: true };
      }
      const shown: string[] = [];
      let total = 0;
      for await (const line of state.env.all(ctx.signal)) {
        if (!matcher.test(line.text)) continue;
        total++;
        if (shown.length < max_matches) shown.push(`${line.lineNo}: ${line.text.slice(0, 500)}`);
      }
      if (total === 0) return { output: `(no matches for ${matcher.description})` };
      const more = total > shown.length ? `\n[${total - shown.length} more matches not shown]` : "";
      return {
        output: capOutput(
          `${total} matching lines for ${matcher.description}:\n${shown.join("\n")}${more}`,
          state.maxOutputChars,
        ),
      };
    },
  });
  const count = defineTool({
    id: "rlm_count",
    description: "Count the lines matching a regex (or literal text) in the whole content.",
    kind: "read",
    parameters: z.object({ pattern: z.string().min(1), ignore_case: z.boolean().default(false) }),
    async execute({ pattern, ignore_case }, ctx) {
      let matcher: ReturnType<typeof compilePattern>;
      try {
        matcher = compilePattern(pattern, { ignoreCase: ignore_case });
      } catch (err) {
        return { output: (err as Error).message, isError: true };
      }
      let total = 0;
      for await (const line of state.env.all(ctx.signal)) if (matcher.test(line.text)) total++;
      return { output: `${total} of ${state.env.totalLines} lines match ${matcher.description}.` };
    },
  });
  return [head, tail, slice, grep, count] as Tool[];
}
