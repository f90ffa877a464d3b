import type { Provider, ResponseHook, ToolResult } from "@codetether/core";
import { type RunRlmOptions, runRlm } from "./run-rlm.js";

export interface RouteLargeResultOptions {
  result: ToolResult;
  /** Tool that produced the result, and its arguments, to explain the output to the RLM model. */
  toolName: string;
  toolArgs?: unknown;
  provider: Provider;
  model: string;
  /** What the agent is working on, so the summary keeps what matters (e.g. the last user message). */
  task?: string;
  /** Results longer than this are routed (config `rlm.threshold_chars`, default 50 000). */
  thresholdChars?: number;
  modelSupportsTools?: boolean;
  toolRouter?: ResponseHook;
  signal?: AbortSignal;
  runOptions?: Partial<Omit<RunRlmOptions, "provider" | "model" | "question" | "sources">>;
}

/** Head and tail of an output, used when RLM itself fails. */
function truncateMiddle(text: string, keep: number): string {
  const half = Math.floor(keep / 2);
  return `${text.slice(0, half)}\n[… ${text.length - 2 * half} characters omitted …]\n${text.slice(-half)}`;
}

/**
 * Keeps a huge tool result from flooding the context: results over the threshold are analysed by RLM
 * and replaced by its answer (the original size and tool are stated). Smaller results pass through
 * unchanged. If RLM fails, the result is cut to its head and tail instead. Errors are never routed.
 */
export async function routeLargeToolResult(options: RouteLargeResultOptions): Promise<ToolResult> {
  const threshold = options.thresholdChars ?? 50_000;
  const { result } = options;
  if (result.isError || result.output.length <= threshold) return result;
  const args = options.toolArgs === undefined ? "" : ` ${JSON.stringify(options.toolArgs).slice(0, 300)}`;
  const question =
    `This is the output of the tool "${options.toolName}"${args}, too long to show in full. ` +
    (options.task ? `The agent is working on: ${options.task.slice(0, 1_000)}\n` : "") +
    "Report what in it matters for that work: key facts, errors, counts, relevant lines with their line " +
    "numbers. Be concise but exact.";
  try {
    const rlm = await runRlm({
      ...options.runOptions,
      provider: options.provider,
      model: options.model,
      question,
      sources: [{ text: result.output, name: `${options.toolName} output` }],
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.modelSupportsTools !== undefined ? { modelSupportsTools: options.modelSupportsTools } : {}),
      ...(options.toolRouter ? { toolRouter: options.toolRouter } : {}),
    });
    return {
      ...result,
      output:
        `[The ${result.output.length}-character output of ${options.toolName} was analysed by RLM instead of ` +
        `being shown in full (${rlm.total_lines} lines). Re-run the tool with narrower arguments to see parts.]\n` +
        rlm.answer,
      metadata: {
        ...result.metadata,
        rlm: {
          originalChars: result.output.length,
          iterations: rlm.iterations,
          sub_queries: rlm.sub_queries,
          stats: rlm.stats,
        },
      },
    };
  } catch (err) {
    if (options.signal?.aborted) throw err;
    return {
      ...result,
      output:
        `[Output of ${options.toolName} was ${result.output.length} characters; RLM analysis failed ` +
        `(${(err as Error).message}), so only its head and tail are shown.]\n${truncateMiddle(result.output, threshold)}`,
      metadata: {
        ...result.metadata,
        rlm: { originalChars: result.output.length, error: (err as Error).message },
      },
    };
  }
}
