import { type FinishReason, ProviderError, type StreamChunk, type Usage } from "@codetether/core";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";

/** Usage fields as the various compatible vendors report them. */
interface WireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  /** Moonshot reports cached tokens at the top level. */
  cached_tokens?: number | null;
  /** DeepSeek's context-cache hits. */
  prompt_cache_hit_tokens?: number | null;
}

/** Vendor fields the SDK's chunk type does not know about. */
type WireDelta = NonNullable<ChatCompletionChunk["choices"][number]["delta"]> & {
  reasoning_content?: string | null;
  reasoning?: string | null;
};
type WireChunk = ChatCompletionChunk & { x_groq?: { usage?: WireUsage } };

export function toUsage(u: WireUsage): Usage {
  return {
    promptTokens: u.prompt_tokens ?? 0,
    completionTokens: u.completion_tokens ?? 0,
    cacheReadTokens:
      u.prompt_tokens_details?.cached_tokens ?? u.cached_tokens ?? u.prompt_cache_hit_tokens ?? 0,
    cacheWriteTokens: 0,
  };
}

export function toFinishReason(reason: string): FinishReason {
  switch (reason) {
    case "stop":
    case "length":
    case "tool_calls":
    case "content_filter":
      return reason;
    case "function_call":
      return "tool_calls";
    default:
      return "other";
  }
}

interface OpenCall {
  id: string;
  name: string;
  /** Arguments received before the name (some vendors send them first). */
  pending: string;
  started: boolean;
}

/**
 * Chat Completions chunks → core stream chunks. Tool calls are keyed by their `index` (only the first
 * delta carries `id` and `name`) and surface as start → argument deltas → end keyed by id; all open calls
 * end when the choice finishes. A stream that stops without a finish reason is a dropped connection.
 */
export async function* mapOpenAIStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  provider: string,
): AsyncGenerator<StreamChunk> {
  const calls = new Map<number, OpenCall>();
  let finish: FinishReason | undefined;
  let sawUsage = false;
  let groqUsage: WireUsage | undefined;

  function* endCalls(): Generator<StreamChunk> {
    for (const call of calls.values()) {
      if (!call.started) {
        call.started = true;
        yield { type: "tool-call-start", id: call.id, name: call.name };
        if (call.pending) yield { type: "tool-call-delta", id: call.id, argumentsDelta: call.pending };
      }
      yield { type: "tool-call-end", id: call.id };
    }
    calls.clear();
  }

  for await (const raw of chunks) {
    const chunk = raw as WireChunk;
    if (chunk.usage) {
      sawUsage = true;
      yield { type: "usage", usage: toUsage(chunk.usage as WireUsage) };
    }
    if (chunk.x_groq?.usage) groqUsage = chunk.x_groq.usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = (choice.delta ?? {}) as WireDelta;
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) yield { type: "thinking-delta", text: reasoning };
    if (delta.content) yield { type: "text-delta", text: delta.content };
    for (const tc of delta.tool_calls ?? []) {
      const index = tc.index ?? calls.size;
      let call = calls.get(index);
      if (!call) {
        call = { id: tc.id || `call_${index}`, name: "", pending: "", started: false };
        calls.set(index, call);
      }
      if (tc.function?.name && !call.started) call.name = tc.function.name;
      const args = tc.function?.arguments ?? "";
      if (!call.started && call.name) {
        call.started = true;
        yield { type: "tool-call-start", id: call.id, name: call.name };
        if (call.pending) yield { type: "tool-call-delta", id: call.id, argumentsDelta: call.pending };
        call.pending = "";
      }
      if (args) {
        if (call.started) yield { type: "tool-call-delta", id: call.id, argumentsDelta: args };
        else call.pending += args;
      }
    }
    if (choice.finish_reason) {
      finish = toFinishReason(choice.finish_reason);
      yield* endCalls();
    }
  }
  if (!sawUsage && groqUsage) yield { type: "usage", usage: toUsage(groqUsage) };
  if (finish === undefined) {
    throw new ProviderError(
      `${provider}: the response stream ended before the model finished (connection dropped).`,
      {
        provider,
        kind: "network",
      },
    );
  }
  yield { type: "finish", reason: finish };
}
