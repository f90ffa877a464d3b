import { defineTool, type Tool } from "@codetether/core";
import { z } from "zod";
import type { RlmState } from "./rlm-state.js";

/** rlm_llm_query (a sub-question over a slice, answered by a model, recursively if large) and rlm_final. */
export function createQueryTools(state: RlmState): Tool[] {
  const llmQuery = defineTool({
    id: "rlm_llm_query",
    description:
      "Ask a sub-question about a range of lines (or a chunk) and get a model's answer about just that part. " +
      "Use it to summarise or analyse parts too large to read with rlm_slice.",
    kind: "agent",
    parameters: z
      .object({
        query: z.string().min(1),
        start_line: z.number().int().min(1).optional(),
        end_line: z.number().int().min(1).optional(),
        chunk: z.number().int().min(0).optional(),
      })
      .refine((a) => a.chunk !== undefined || a.start_line !== undefined, {
        message: "give start_line and end_line, or chunk",
      }),
    async execute(args, ctx) {
      let start = args.start_line ?? 1;
      let end = args.end_line ?? state.env.totalLines;
      if (args.chunk !== undefined) {
        const chunk = state.env.chunks[args.chunk];
        if (!chunk)
          return {
            output: `No chunk ${args.chunk}: chunks are 0..${state.env.chunks.length - 1}.`,
            isError: true,
          };
        start = chunk.startLine;
        end = chunk.endLine;
      }
      end = Math.min(end, state.env.totalLines);
      if (end < start) return { output: `Empty range ${start}..${end}.`, isError: true };
      try {
        return { output: await state.subQuery(args.query, start, end, ctx.signal) };
      } catch (err) {
        return { output: (err as Error).message, isError: true };
      }
    },
  });
  const final = defineTool({
    id: "rlm_final",
    description:
      "Give the final answer to the question. Call this once you know the answer; it ends the analysis.",
    kind: "other",
    parameters: z.object({ answer: z.string().min(1) }),
    async execute({ answer }) {
      state.final = answer;
      return { output: "Final answer recorded." };
    },
  });
  return [llmQuery, final] as Tool[];
}
