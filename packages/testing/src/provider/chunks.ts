import { type ChatRequest, type Message, messageText, type StreamChunk, type Usage } from "@codetether/core";

/** The usage every scripted turn reports unless told otherwise. */
export const SCRIPTED_USAGE: Usage = {
  promptTokens: 10,
  completionTokens: 5,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
};

/** `[id, tool name, arguments]` of one scripted tool call. */
export type ScriptedCall = [id: string, name: string, args: unknown];

const usageChunks = (usage: Usage | null): StreamChunk[] =>
  usage ? [{ type: "usage", usage: { ...usage } }] : [];

/** A turn that answers with `text` and stops. Pass `usage: null` to stream no usage chunk. */
export function textReply(text: string, usage: Usage | null = SCRIPTED_USAGE): StreamChunk[] {
  return [{ type: "text-delta", text }, ...usageChunks(usage), { type: "finish", reason: "stop" }];
}

/** A turn that calls tools (arguments sent as JSON in one delta each) and finishes with `tool_calls`. */
export function toolCallsReply(calls: ScriptedCall[], usage: Usage | null = SCRIPTED_USAGE): StreamChunk[] {
  return [
    ...calls.flatMap(([id, name, args]): StreamChunk[] => [
      { type: "tool-call-start", id, name },
      { type: "tool-call-delta", id, argumentsDelta: JSON.stringify(args) },
      { type: "tool-call-end", id },
    ]),
    ...usageChunks(usage),
    { type: "finish", reason: "tool_calls" },
  ];
}

/** A turn that calls one tool. */
export function toolCallReply(id: string, name: string, args: unknown): StreamChunk[] {
  return toolCallsReply([[id, name, args]]);
}

/** The text of the first user message of a request ("" when there is none). */
export function firstUserText(request: ChatRequest): string {
  const user = request.messages.find((m: Message) => m.role === "user");
  return user ? messageText(user) : "";
}

/** The last message of a request; throws when the request has none. */
export function lastMessage(request: ChatRequest): Message {
  const last = request.messages[request.messages.length - 1];
  if (!last) throw new Error("scripted provider: the request has no messages");
  return last;
}
