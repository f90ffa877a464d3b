import type { ContentPart, Message } from "../messages.js";
import type { ToolDefinition } from "../provider/chat-request.js";
import type { TokenCounter } from "./token-counter.js";

/** Tokens every message costs beyond its content (role markers, separators), as in OpenAI's guidance. */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** A flat charge for an image: vendors bill images by tiles; ~1k tokens covers a typical screenshot. */
export const IMAGE_TOKENS = 1_000;

/** Tokens of one content part. */
export function countPartTokens(part: ContentPart, counter: TokenCounter): number {
  switch (part.type) {
    case "text":
    case "thinking":
      return counter.count(part.text);
    case "tool_call":
      return counter.count(part.name) + counter.count(part.arguments) + 3;
    case "tool_result":
      return counter.count(part.content) + 3;
    case "image":
      return IMAGE_TOKENS;
    case "file":
      return counter.count(part.path) + (part.data ? counter.count(part.data) : 0);
  }
}

/** Tokens of a message list as sent to a model (content plus per-message overhead). */
export function countMessageTokens(messages: readonly Message[], counter: TokenCounter): number {
  let total = 0;
  for (const message of messages) {
    total += MESSAGE_OVERHEAD_TOKENS;
    for (const part of message.content) total += countPartTokens(part, counter);
  }
  return total;
}

/** Tokens of tool definitions (their JSON is part of the prompt). */
export function countToolTokens(tools: readonly ToolDefinition[] | undefined, counter: TokenCounter): number {
  if (!tools?.length) return 0;
  return counter.count(JSON.stringify(tools));
}
