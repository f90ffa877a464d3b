import type { ChatRequest, StreamChunk } from "@codetether/core";
import { createScriptedProvider, type ScriptedProvider } from "@codetether/testing";

export type Policy = (request: ChatRequest) => StreamChunk[];

const USAGE: StreamChunk = {
  type: "usage",
  usage: { promptTokens: 100, completionTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 },
};

/** An in-process model that answers by a policy over the request (then usage and `stop`); records every request. */
export function scripted(policy: Policy): ScriptedProvider {
  return createScriptedProvider(
    (request) => [...policy(request), USAGE, { type: "finish", reason: "stop" }],
    {
      id: "scripted",
      delayMs: 0,
    },
  );
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
