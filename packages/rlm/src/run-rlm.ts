import {
  addUsage,
  type ChatRequest,
  completeWithRetry,
  createSession,
  emptyUsage,
  type Message,
  messageText,
  type Provider,
  type ResponseHook,
  ToolRegistry,
  type ToolResultPart,
  toolCallsOf,
  type Usage,
} from "@codetether/core";
import type { ChunkerOptions } from "./chunkers.js";
import type { ContentType } from "./content-type.js";
import { RlmEnvironment, type RlmSource } from "./environment.js";
import { createExploreTools } from "./explore-tools.js";
import { createQueryTools } from "./query-tools.js";
import { rlmSystemPrompt } from "./rlm-prompt.js";
import type { RlmState, SubQuery } from "./rlm-state.js";
import { runSubQuery } from "./sub-query.js";

export interface RunRlmOptions extends ChunkerOptions {
  provider: Provider;
  model: string;
  question: string;
  sources: readonly RlmSource[];
  /** Model calls before giving up (config `rlm.max_iterations`, default 20). */
  maxIterations?: number;
  /** Deepest sub-query nesting (config `rlm.max_depth`, default 3). */
  maxDepth?: number;
  /** False for models without native tool calling: their answers go through `toolRouter`. */
  modelSupportsTools?: boolean;
  /** The tool router's hook (`createToolRouterHook({ bounds: { minCalls: 1 } })`), injected by the host. */
  toolRouter?: ResponseHook;
  contentType?: ContentType;
  /** Cap on each tool output (default 8000 chars). */
  maxOutputChars?: number;
  /** Sub-queries over at most this many characters are one direct model call; larger ones recurse (default 24000). */
  directQueryMaxChars?: number;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  onEvent?: (event: RlmEvent) => void;
  /** Nesting level of this run (0 at the top; set by recursion). */
  depth?: number;
}

export type RlmEvent =
  | { type: "iteration"; iteration: number; depth: number }
  | { type: "tool-call"; name: string; arguments: string; depth: number }
  | {
      type: "sub-query";
      query: string;
      startLine: number;
      endLine: number;
      depth: number;
      mode: SubQuery["mode"];
    };

export interface RlmResult {
  answer: string;
  iterations: number;
  /** Number of `rlm_llm_query` sub-queries (at every depth). */
  sub_queries: number;
  stats: { input_tokens: number; output_tokens: number; elapsed_ms: number };
  /** False when no `rlm_final` came within the iteration budget. */
  finished: boolean;
  content_type: ContentType;
  total_lines: number;
  total_bytes: number;
  chunks: number;
  sub_query_log: SubQuery[];
}

const NUDGE =
  "Use the rlm_* tools to examine the content, and call rlm_final with your answer when you know it.";

/**
 * Recursive Language Model: answers `question` about content of any size by letting the model explore
 * it through tools (head, tail, grep, count, slice, sub-queries) and finish with `rlm_final`.
 */
export async function runRlm(options: RunRlmOptions): Promise<RlmResult> {
  const started = performance.now();
  const depth = options.depth ?? 0;
  const maxDepth = options.maxDepth ?? 3;
  const maxIterations = options.maxIterations ?? 20;
  if (!options.question.trim())
    throw new Error("RLM needs a question: say what you want to know about the content.");
  const env = await RlmEnvironment.create(options.sources, {
    ...options,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let usage: Usage = emptyUsage();
  const state: RlmState = {
    env,
    maxOutputChars: options.maxOutputChars ?? 8_000,
    subQueries: [],
    subQuery: async (query, startLine, endLine, signal) => {
      if (depth + 1 > maxDepth) {
        throw new Error(
          `Maximum sub-query depth (${maxDepth}) reached: answer from what you have read, or read the lines with rlm_slice.`,
        );
      }
      const sub = await runSubQuery(
        runRlm,
        { ...options, depth: depth + 1, maxDepth },
        env,
        query,
        startLine,
        endLine,
        signal,
      );
      state.subQueries.push(sub.record, ...sub.nested);
      usage = addUsage(usage, {
        ...emptyUsage(),
        promptTokens: sub.record.inputTokens,
        completionTokens: sub.record.outputTokens,
      });
      return sub.record.response;
    },
  };
  try {
    const tools = new ToolRegistry().register(...createExploreTools(state), ...createQueryTools(state));
    const preview: string[] = [];
    for await (const line of env.lines(1, 10)) preview.push(`${line.lineNo}: ${line.text.slice(0, 200)}`);
    const messages: Message[] = [
      {
        role: "system",
        content: [{ type: "text", text: rlmSystemPrompt(env, preview, { maxIterations, depth, maxDepth }) }],
      },
      { role: "user", content: [{ type: "text", text: `Question: ${options.question}` }] },
    ];
    const signal = options.signal ?? new AbortController().signal;
    const session = createSession({ cwd: process.cwd(), title: "rlm" });
    let answer: string | undefined;
    let iterations = 0;
    let nudges = 0;
    while (iterations < maxIterations && state.final === undefined) {
      iterations++;
      options.onEvent?.({ type: "iteration", iteration: iterations, depth });
      const request: ChatRequest = {
        model: options.model,
        messages,
        tools: tools.definitions(),
        temperature: options.temperature ?? 0.3,
        maxTokens: options.maxTokens ?? 2_000,
      };
      let response = await completeWithRetry(options.provider, request, { signal });
      usage = addUsage(usage, response.usage);
      if (options.modelSupportsTools === false && options.toolRouter) {
        response = await options.toolRouter(response, { request, session, signal });
      }
      messages.push(response.message);
      const calls = toolCallsOf(response.message);
      if (calls.length === 0) {
        const text = messageText(response.message).trim();
        // A model that keeps answering in prose gets two reminders; then its prose is the answer.
        if (text && (nudges >= 2 || iterations === maxIterations)) {
          answer = text;
          break;
        }
        nudges++;
        messages.push({ role: "user", content: [{ type: "text", text: NUDGE }] });
        continue;
      }
      const results: ToolResultPart[] = [];
      for (const call of calls) {
        options.onEvent?.({ type: "tool-call", name: call.name, arguments: call.arguments, depth });
        const result = await tools.execute(call, {
          cwd: process.cwd(),
          workspaceRoot: process.cwd(),
          signal,
          sessionId: session.id,
          callId: call.id,
          emit: () => {},
        });
        results.push({
          type: "tool_result",
          tool_call_id: call.id,
          content: result.output,
          is_error: result.isError ?? false,
        });
        if (state.final !== undefined) break;
      }
      messages.push({ role: "tool", content: results });
    }
    const finished = state.final !== undefined;
    return {
      answer: state.final ?? answer ?? `Analysis incomplete: no final answer after ${iterations} iterations.`,
      iterations,
      sub_queries: state.subQueries.length,
      stats: {
        input_tokens: usage.promptTokens,
        output_tokens: usage.completionTokens,
        elapsed_ms: Math.round(performance.now() - started),
      },
      finished,
      content_type: env.contentType,
      total_lines: env.totalLines,
      total_bytes: env.totalBytes,
      chunks: env.chunks.length,
      sub_query_log: state.subQueries,
    };
  } finally {
    await env.dispose();
  }
}
