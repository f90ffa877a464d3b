import type { Usage } from "../usage.js";

export type FinishReason = "stop" | "tool_calls" | "length" | "content_filter" | "error" | "other";

/**
 * One event of a streamed model response. Tool calls arrive as start → zero or more
 * argument deltas → end, identified by `id`; several may be open at once.
 */
export type StreamChunk =
  | { type: "text-delta"; text: string }
  | { type: "thinking-delta"; text: string; signature?: string }
  | { type: "tool-call-start"; id: string; name: string }
  | { type: "tool-call-delta"; id: string; argumentsDelta: string }
  | { type: "tool-call-end"; id: string }
  | { type: "usage"; usage: Usage }
  | { type: "finish"; reason: FinishReason };
