import type { RlmEnvironment } from "./environment.js";

const CHUNKS_SHOWN = 40;

/** System prompt of an RLM run: how to work, plus a map of the content (type, size, chunks, preview). */
export function rlmSystemPrompt(
  env: RlmEnvironment,
  preview: string[],
  limits: { maxIterations: number; depth: number; maxDepth: number },
): string {
  const chunks = env.chunks
    .slice(0, CHUNKS_SHOWN)
    .map(
      (c) =>
        `  ${c.index}: lines ${c.startLine}-${c.endLine} ${c.label}` +
        (c.errorLines ? ` (${c.errorLines} error lines)` : ""),
    );
  const more =
    env.chunks.length > CHUNKS_SHOWN ? `\n  … ${env.chunks.length - CHUNKS_SHOWN} more chunks` : "";
  const canQuery = limits.depth < limits.maxDepth;
  return `You answer a question about content that is too large to read at once. You can only see it through tools:
- rlm_head / rlm_tail: first or last lines
- rlm_grep: lines matching a pattern, with line numbers and a total; rlm_count: just the number
- rlm_slice: a line range or one chunk
${canQuery ? "- rlm_llm_query: ask a sub-question about a line range or chunk (for parts too big to read)\n" : ""}- rlm_final: your final answer (required; it ends the analysis)

Work efficiently: search first, then read only what matters. Quote numbers and lines exactly from tool
results; never guess. You have at most ${limits.maxIterations} steps; call rlm_final before running out.

Content: ${env.contentType}, ${env.totalLines} lines, ${env.totalBytes} bytes, ${env.chunks.length} chunks${
    env.sourceNames.length > 1
      ? ` from ${env.sourceNames.length} sources (${env.sourceNames.slice(0, 10).join(", ")})`
      : ""
  }.
Chunks (${env.contentType === "logs" ? "time windows" : env.contentType === "code" ? "symbols" : env.contentType === "conversation" ? "turns" : "sections"}):
${chunks.join("\n")}${more}

First lines:
${preview.join("\n")}`;
}
