import type { FinishReason } from "@codetether/core";

/**
 * Claude's stop reasons, as the Anthropic Messages API and Bedrock's Converse API both report them (Bedrock adds its
 * guardrail and content-filter reasons), mapped to core's finish reasons.
 */
export function claudeFinishReason(stop: string | null | undefined): FinishReason {
  switch (stop) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
    case "guardrail_intervened":
    case "content_filtered":
      return "content_filter";
    default:
      return "other";
  }
}
