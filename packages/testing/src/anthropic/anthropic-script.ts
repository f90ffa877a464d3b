/** One scripted answer of the fake Anthropic server, consumed in order per request. */
export type AnthropicScriptedReply = AnthropicScriptedMessage | AnthropicScriptedError;

export interface AnthropicScriptedMessage {
  kind?: "message";
  /** A thinking block streamed first, with its signature. */
  thinking?: { text: string; signature: string };
  /** Text, streamed in `chunkSize`-character deltas. */
  text?: string;
  toolCalls?: { id?: string; name: string; input: Record<string, unknown> }[];
  usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
  stopReason?: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
  /** Characters per text/JSON delta. Default 4. */
  chunkSize?: number;
  /** Closes the socket after this many SSE events, without `message_stop`. */
  disconnectAfterEvents?: number;
  /** Ends the stream with an SSE `error` event (e.g. `overloaded_error`) instead of message_delta/stop. */
  streamError?: { type: string; message: string };
}

export interface AnthropicScriptedError {
  kind: "error";
  status: number;
  /** Anthropic error type, e.g. `rate_limit_error`; derived from the status by default. */
  type?: string;
  message?: string;
  /** Value of the `retry-after` header. */
  retryAfter?: string;
}

/** A request the fake server received. */
export interface RecordedAnthropicRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export function anthropicErrorType(status: number): string {
  if (status === 400) return "invalid_request_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status === 529) return "overloaded_error";
  return "api_error";
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The Messages API SSE event sequence for a scripted message, as `[event, data]` pairs. */
export function anthropicEvents(reply: AnthropicScriptedMessage, model: string): [string, unknown][] {
  const size = Math.max(1, reply.chunkSize ?? 4);
  const usage = reply.usage ?? {};
  const events: [string, unknown][] = [];
  events.push([
    "message_start",
    {
      type: "message_start",
      message: {
        id: `msg_fake_${Date.now().toString(36)}`,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input ?? 0,
          output_tokens: 1,
          cache_creation_input_tokens: usage.cacheWrite ?? 0,
          cache_read_input_tokens: usage.cacheRead ?? 0,
        },
      },
    },
  ]);
  events.push(["ping", { type: "ping" }]);
  let index = 0;
  if (reply.thinking) {
    events.push([
      "content_block_start",
      {
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      },
    ]);
    for (const piece of chunks(reply.thinking.text, size)) {
      events.push([
        "content_block_delta",
        { type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: piece } },
      ]);
    }
    events.push([
      "content_block_delta",
      {
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: reply.thinking.signature },
      },
    ]);
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  }
  if (reply.text !== undefined) {
    events.push([
      "content_block_start",
      { type: "content_block_start", index, content_block: { type: "text", text: "" } },
    ]);
    for (const piece of chunks(reply.text, size)) {
      events.push([
        "content_block_delta",
        { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } },
      ]);
    }
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  }
  for (const [n, call] of (reply.toolCalls ?? []).entries()) {
    const id = call.id ?? `toolu_fake_${n}`;
    events.push([
      "content_block_start",
      {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id, name: call.name, input: {} },
      },
    ]);
    for (const piece of chunks(JSON.stringify(call.input), size)) {
      events.push([
        "content_block_delta",
        { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } },
      ]);
    }
    events.push(["content_block_stop", { type: "content_block_stop", index }]);
    index++;
  }
  if (reply.streamError) {
    events.push(["error", { type: "error", error: reply.streamError }]);
    return events;
  }
  const stopReason = reply.stopReason ?? (reply.toolCalls?.length ? "tool_use" : "end_turn");
  events.push([
    "message_delta",
    {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output ?? 0 },
    },
  ]);
  events.push(["message_stop", { type: "message_stop" }]);
  return events;
}
