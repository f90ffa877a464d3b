import {
  type ChatRequest,
  type Message,
  messageText,
  type Provider,
  type StreamChunk,
  sleep,
} from "@codetether/core";

export type Responder = (
  request: ChatRequest,
  signal?: AbortSignal,
) => Promise<StreamChunk[]> | StreamChunk[];

/** An in-process provider whose replies are computed from the request (sub-agents interleave). */
export function fakeProvider(
  respond: Responder,
): Provider & { requests: ChatRequest[]; inFlight: number; maxInFlight: number } {
  const provider = {
    id: "fake",
    requests: [] as ChatRequest[],
    inFlight: 0,
    maxInFlight: 0,
    async listModels() {
      return [];
    },
    async *stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamChunk> {
      provider.requests.push(structuredClone(request));
      provider.inFlight++;
      provider.maxInFlight = Math.max(provider.maxInFlight, provider.inFlight);
      try {
        await sleep(1, signal);
        const chunks = await respond(request, signal);
        for (const chunk of chunks) yield chunk;
      } finally {
        provider.inFlight--;
      }
    },
  };
  return provider;
}

export const text = (t: string): StreamChunk[] => [
  { type: "text-delta", text: t },
  {
    type: "usage",
    usage: { promptTokens: 10, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  { type: "finish", reason: "stop" },
];

export const toolCall = (id: string, name: string, args: unknown): StreamChunk[] => [
  { type: "tool-call-start", id, name },
  { type: "tool-call-delta", id, argumentsDelta: JSON.stringify(args) },
  { type: "tool-call-end", id },
  {
    type: "usage",
    usage: { promptTokens: 10, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  { type: "finish", reason: "tool_calls" },
];

export function firstUserText(request: ChatRequest): string {
  const user = request.messages.find((m: Message) => m.role === "user");
  return user ? messageText(user) : "";
}

export function lastMessage(request: ChatRequest): Message {
  return request.messages[request.messages.length - 1]!;
}

export const isDecomposition = (r: ChatRequest) => firstUserText(r).includes("orchestrator of a swarm");
export const isSynthesis = (r: ChatRequest) => firstUserText(r).includes("Sub-agents worked on parts");
