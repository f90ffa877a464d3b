import { completeWithRetry, messageText } from "@codetether/core";
import type { RlmEnvironment } from "./environment.js";
import type { SubQuery } from "./rlm-state.js";
import type { RlmResult, RunRlmOptions } from "./run-rlm.js";

/** Answers a sub-question over lines: one direct call for small ranges, a nested RLM run otherwise. */
export async function runSubQuery(
  /** `runRlm`, passed in to recurse without an import cycle. */
  run: (options: RunRlmOptions) => Promise<RlmResult>,
  options: RunRlmOptions & { depth: number; maxDepth: number },
  env: RlmEnvironment,
  query: string,
  startLine: number,
  endLine: number,
  signal: AbortSignal,
): Promise<{ record: SubQuery; nested: SubQuery[] }> {
  const limit = options.directQueryMaxChars ?? 24_000;
  const excerpt: string[] = [];
  let size = 0;
  let small = true;
  for await (const line of env.lines(startLine, endLine, signal)) {
    size += line.text.length + 1;
    if (size > limit) {
      small = false;
      break;
    }
    excerpt.push(line.text);
  }
  const mode: SubQuery["mode"] = small ? "direct" : "recursive";
  options.onEvent?.({ type: "sub-query", query, startLine, endLine, depth: options.depth, mode });
  const record = (response: string, inputTokens: number, outputTokens: number): SubQuery => ({
    query,
    startLine,
    endLine,
    depth: options.depth,
    mode,
    response,
    inputTokens,
    outputTokens,
  });
  if (small) {
    const response = await completeWithRetry(
      options.provider,
      {
        model: options.model,
        messages: [
          {
            role: "system",
            content: [
              { type: "text", text: "Answer the question using only the excerpt. Be concise and exact." },
            ],
          },
          {
            role: "user",
            content: [
              {
                type: "text",
                text: `Excerpt (lines ${startLine}-${endLine}):\n${excerpt.join("\n")}\n\nQuestion: ${query}`,
              },
            ],
          },
        ],
        temperature: options.temperature ?? 0.3,
        maxTokens: options.maxTokens ?? 2_000,
      },
      { signal },
    );
    return {
      record: record(
        messageText(response.message).trim() || "(empty answer)",
        response.usage.promptTokens,
        response.usage.completionTokens,
      ),
      nested: [],
    };
  }
  async function* slice(): AsyncGenerator<string> {
    for await (const line of env.lines(startLine, endLine, signal)) yield `${line.text}\n`;
  }
  const nested = await run({
    ...options,
    question: query,
    sources: [{ stream: slice(), name: `lines ${startLine}-${endLine}` }],
    contentType: env.contentType,
    signal,
  });
  return {
    record: record(nested.answer, nested.stats.input_tokens, nested.stats.output_tokens),
    nested: nested.sub_query_log,
  };
}
