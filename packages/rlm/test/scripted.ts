import type { ChatRequest, Provider, StreamChunk } from "@codetether/core";

export type Policy = (request: ChatRequest) => StreamChunk[];

/** An in-process model that answers by a policy over the request; records every request. */
export function scripted(policy: Policy): Provider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    id: "scripted",
    requests,
    async listModels() {
      return [];
    },
    async *stream(request): AsyncIterable<StreamChunk> {
      requests.push(request);
      for (const chunk of policy(request)) yield chunk;
      yield {
        type: "usage",
        usage: { promptTokens: 100, completionTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 },
      };
      yield { type: "finish", reason: "stop" };
    },
  };
}

let ids = 0;
export function call(name: string, args: unknown): StreamChunk[] {
  const id = `call_${++ids}`;
  return [
    { type: "tool-call-start", id, name },
    { type: "tool-call-delta", id, argumentsDelta: JSON.stringify(args) },
    { type: "tool-call-end", id },
  ];
}

export function text(value: string): StreamChunk[] {
  return [{ type: "text-delta", text: value }];
}

/** Text of tool results in the request, oldest first. */
export function toolResults(request: ChatRequest): string[] {
  return request.messages.flatMap((m) =>
    m.content.flatMap((p) => (p.type === "tool_result" ? [p.content] : [])),
  );
}

export function systemText(request: ChatRequest): string {
  const part = request.messages[0]?.content[0];
  return part?.type === "text" ? part.text : "";
}
