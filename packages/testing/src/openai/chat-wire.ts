import type { ScriptedResponse, ScriptedToolCall, ScriptedUsage } from "./script.js";

/** Identity of one completion, shared by all its chunks. */
export interface CompletionContext {
  id: string;
  model: string;
  created: number;
  /** Index of the turn, used to derive stable tool-call ids. */
  turn: number;
}

type Json = Record<string, unknown>;

/** Splits text like a tokenizer would: per word (with its leading space), or every `size` characters. */
export function splitText(text: string, size?: number): string[] {
  if (text === "") return [];
  if (size) {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out;
  }
  const words = text.match(/\s*\S+|\s+$/g) ?? [text];
  if (words.length > 1 || text.length < 2) return words;
  const mid = Math.ceil(text.length / 2);
  return [text.slice(0, mid), text.slice(mid)];
}

/** Splits tool-call arguments into fragments (always at least two when possible, like the real API). */
export function splitArguments(args: string, size = 5): string[] {
  if (args.length <= size && args.length >= 2) return [args.slice(0, 1), args.slice(1)];
  return splitText(args, size);
}

export function argumentsText(call: ScriptedToolCall): string {
  return typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {});
}

export function toolCallId(call: ScriptedToolCall, ctx: CompletionContext, index: number): string {
  return call.id ?? `call_${ctx.turn}_${index}`;
}

export function finishReasonOf(resp: ScriptedResponse): string {
  return resp.finishReason ?? (resp.toolCalls?.length ? "tool_calls" : "stop");
}

/** Token usage in the API's shape; estimated from sizes when the script does not give it. */
export function usageOf(resp: ScriptedResponse, requestBody: unknown): Json {
  const u: ScriptedUsage = resp.usage ?? {
    prompt_tokens: Math.ceil(JSON.stringify((requestBody as Json | undefined)?.messages ?? []).length / 4),
    completion_tokens: Math.max(
      1,
      Math.ceil(
        ((resp.text ?? "").length +
          (resp.reasoning ?? "").length +
          (resp.toolCalls ?? []).reduce((n, c) => n + argumentsText(c).length + c.name.length, 0)) /
          4,
      ),
    ),
  };
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0, audio_tokens: 0 },
  };
}

function chunk(ctx: CompletionContext, delta: Json, finish: string | null, includeUsage: boolean): Json {
  return {
    id: ctx.id,
    object: "chat.completion.chunk",
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: "fp_scripted",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

function toolCallDeltas(resp: ScriptedResponse, ctx: CompletionContext): Json[][] {
  return (resp.toolCalls ?? []).map((call, index) => {
    const head: Json = {
      index,
      id: toolCallId(call, ctx, index),
      type: "function",
      function: { name: call.name, arguments: "" },
    };
    const fragments = splitArguments(argumentsText(call), resp.chunkSize);
    return [head, ...fragments.map((arguments_) => ({ index, function: { arguments: arguments_ } }))];
  });
}

/**
 * The `chat.completion.chunk` objects of a streamed answer, in the order the real API sends them:
 * role first, reasoning, text, tool calls (header with id and name, then argument fragments),
 * a final chunk with `finish_reason`, and a usage chunk with empty `choices` when requested.
 */
export function streamEvents(
  resp: ScriptedResponse,
  ctx: CompletionContext,
  requestBody: unknown,
  includeUsage: boolean,
): Json[] {
  const events: Json[] = [chunk(ctx, { role: "assistant", content: "", refusal: null }, null, includeUsage)];
  for (const piece of splitText(resp.reasoning ?? "", resp.chunkSize)) {
    events.push(chunk(ctx, { reasoning_content: piece }, null, includeUsage));
  }
  for (const piece of splitText(resp.text ?? "", resp.chunkSize)) {
    events.push(chunk(ctx, { content: piece }, null, includeUsage));
  }
  const calls = toolCallDeltas(resp, ctx);
  if (resp.interleaveToolCalls) {
    const longest = Math.max(0, ...calls.map((c) => c.length));
    for (let i = 0; i < longest; i++) {
      for (const call of calls) {
        const delta = call[i];
        if (delta) events.push(chunk(ctx, { tool_calls: [delta] }, null, includeUsage));
      }
    }
  } else {
    for (const delta of calls.flat()) events.push(chunk(ctx, { tool_calls: [delta] }, null, includeUsage));
  }
  events.push(chunk(ctx, {}, finishReasonOf(resp), includeUsage));
  if (includeUsage) {
    events.push({
      id: ctx.id,
      object: "chat.completion.chunk",
      created: ctx.created,
      model: ctx.model,
      system_fingerprint: "fp_scripted",
      choices: [],
      usage: usageOf(resp, requestBody),
    });
  }
  return events;
}

/** The non-streaming `chat.completion` object of an answer. */
export function completionObject(resp: ScriptedResponse, ctx: CompletionContext, requestBody: unknown): Json {
  const toolCalls = (resp.toolCalls ?? []).map((call, index) => ({
    id: toolCallId(call, ctx, index),
    type: "function",
    function: { name: call.name, arguments: argumentsText(call) },
  }));
  return {
    id: ctx.id,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.model,
    system_fingerprint: "fp_scripted",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: resp.text ?? (toolCalls.length ? null : ""),
          refusal: null,
          ...(resp.reasoning !== undefined ? { reasoning_content: resp.reasoning } : {}),
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReasonOf(resp),
      },
    ],
    usage: usageOf(resp, requestBody),
  };
}

/** An error body in the shape the OpenAI API uses. */
export function errorBody(status: number, message?: string): Json {
  const defaults: Record<number, [string, string, string | null]> = {
    400: ["Invalid request.", "invalid_request_error", null],
    401: ["Incorrect API key provided.", "invalid_request_error", "invalid_api_key"],
    403: ["You are not allowed to access this resource.", "invalid_request_error", null],
    404: [
      "The model does not exist or you do not have access to it.",
      "invalid_request_error",
      "model_not_found",
    ],
    429: ["Rate limit reached. Please try again later.", "requests", "rate_limit_exceeded"],
  };
  const [text, type, code] = defaults[status] ?? [
    "The server had an error while processing your request.",
    "server_error",
    null,
  ];
  return { error: { message: message ?? text, type, param: null, code } };
}
