/** One scripted answer of the fake Bedrock server, consumed in order per request. */
export type BedrockScriptedReply = BedrockScriptedResponse | BedrockScriptedError;

export interface BedrockScriptedResponse {
  kind?: "response";
  /** Reasoning text with its signature (Anthropic models on Bedrock), streamed first. */
  reasoning?: { text: string; signature?: string };
  /** Text, streamed in `chunkSize`-character deltas. */
  text?: string;
  toolUses?: { toolUseId?: string; name: string; input: Record<string, unknown> }[];
  usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
  stopReason?:
    | "end_turn"
    | "tool_use"
    | "max_tokens"
    | "stop_sequence"
    | "guardrail_intervened"
    | "content_filtered";
  chunkSize?: number;
  /** Closes the socket after this many event-stream messages. */
  disconnectAfterEvents?: number;
  /** Sends this modeled exception as an in-stream `:message-type: exception` after the content. */
  streamException?: {
    type: "throttlingException" | "internalServerException" | "modelStreamErrorException";
    message: string;
  };
}

export interface BedrockScriptedError {
  kind: "error";
  status: number;
  /** Smithy error shape name, e.g. `ThrottlingException`; derived from the status by default. */
  type?: string;
  message?: string;
  retryAfter?: string;
}

export interface RecordedBedrockRequest {
  method: string;
  path: string;
  /** Decoded model id from the path. */
  modelId: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export function bedrockErrorType(status: number): string {
  if (status === 400) return "ValidationException";
  if (status === 401) return "UnrecognizedClientException";
  if (status === 403) return "AccessDeniedException";
  if (status === 404) return "ResourceNotFoundException";
  if (status === 429) return "ThrottlingException";
  if (status === 503) return "ServiceUnavailableException";
  return "InternalServerException";
}

/** The ConverseStream events (`:event-type` and JSON payload) for a scripted response. */
export function bedrockEvents(reply: BedrockScriptedResponse): [string, Record<string, unknown>][] {
  const size = Math.max(1, reply.chunkSize ?? 4);
  const split = (s: string) => {
    const out: string[] = [];
    for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
    return out;
  };
  const events: [string, Record<string, unknown>][] = [["messageStart", { role: "assistant" }]];
  let index = 0;
  if (reply.reasoning) {
    for (const piece of split(reply.reasoning.text)) {
      events.push([
        "contentBlockDelta",
        { contentBlockIndex: index, delta: { reasoningContent: { text: piece } } },
      ]);
    }
    if (reply.reasoning.signature) {
      events.push([
        "contentBlockDelta",
        { contentBlockIndex: index, delta: { reasoningContent: { signature: reply.reasoning.signature } } },
      ]);
    }
    events.push(["contentBlockStop", { contentBlockIndex: index }]);
    index++;
  }
  if (reply.text !== undefined) {
    for (const piece of split(reply.text)) {
      events.push(["contentBlockDelta", { contentBlockIndex: index, delta: { text: piece } }]);
    }
    events.push(["contentBlockStop", { contentBlockIndex: index }]);
    index++;
  }
  for (const [n, use] of (reply.toolUses ?? []).entries()) {
    const toolUseId = use.toolUseId ?? `tooluse_fake${n}`;
    events.push([
      "contentBlockStart",
      { contentBlockIndex: index, start: { toolUse: { toolUseId, name: use.name } } },
    ]);
    for (const piece of split(JSON.stringify(use.input))) {
      events.push(["contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: piece } } }]);
    }
    events.push(["contentBlockStop", { contentBlockIndex: index }]);
    index++;
  }
  const stopReason = reply.stopReason ?? (reply.toolUses?.length ? "tool_use" : "end_turn");
  events.push(["messageStop", { stopReason }]);
  const u = reply.usage ?? {};
  const input = u.input ?? 0;
  const output = u.output ?? 0;
  events.push([
    "metadata",
    {
      usage: {
        inputTokens: input,
        outputTokens: output,
        totalTokens: input + output + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0),
        ...(u.cacheRead !== undefined ? { cacheReadInputTokens: u.cacheRead } : {}),
        ...(u.cacheWrite !== undefined ? { cacheWriteInputTokens: u.cacheWrite } : {}),
      },
      metrics: { latencyMs: 42 },
    },
  ]);
  return events;
}
