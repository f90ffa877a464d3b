import type { ChatRequest } from "../provider/chat-request.js";
import type { CollectedResponse } from "../provider/collect.js";
import { completeWithRetry } from "../provider/complete-with-retry.js";
import type { AgentEvent } from "./agent-event.js";
import type { AgentOptions } from "./agent-options.js";

/**
 * One model call with retries; retries only while nothing has been streamed to the user yet. Text and thinking
 * deltas are reported as they arrive.
 */
export function callModel(
  options: AgentOptions,
  request: ChatRequest,
  signal: AbortSignal,
  emit: (e: AgentEvent) => void,
): Promise<CollectedResponse> {
  return completeWithRetry(options.provider, request, {
    signal,
    maxRetries: options.maxRetries ?? 4,
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,
    onChunk: (chunk) => {
      if (chunk.type === "text-delta") emit({ type: "text-delta", text: chunk.text });
      else if (chunk.type === "thinking-delta") emit({ type: "thinking-delta", text: chunk.text });
      else return false;
      return true;
    },
    onRetry: (retry) => emit({ type: "retry", ...retry }),
  });
}
