import { setMaxListeners } from "node:events";
import type { ToolResultPart } from "../messages.js";
import type { ModelInfo } from "../model-info.js";
import type { ToolResult } from "../tool/tool.js";

/**
 * Runs one step's tool calls under a signal of their own that follows the turn's. Each call in flight may listen
 * for the abort (a tool, an SDK, a child process), so its listener limit grows with the number of parallel calls:
 * twelve parallel MCP calls are not a leak, while listeners that outlive their call still warn.
 */
export async function withStepSignal<T>(
  turn: AbortSignal,
  calls: number,
  fn: (signal: AbortSignal) => Promise<T>,
) {
  const step = new AbortController();
  setMaxListeners(10 + calls * LISTENERS_PER_CALL, step.signal);
  const forward = () => step.abort(turn.reason);
  if (turn.aborted) forward();
  else turn.addEventListener("abort", forward, { once: true });
  try {
    return await fn(step.signal);
  } finally {
    turn.removeEventListener("abort", forward);
  }
}

/** Abort listeners one tool call may hold at once (its own, a wrapper's, an SDK's). */
const LISTENERS_PER_CALL = 3;

/**
 * A tool's result as the model gets it. Media go only to a model known to see images; otherwise the text (which
 * describes them) says that they were left out.
 */
export function toolResultPart(
  callId: string,
  result: ToolResult,
  model: ModelInfo | undefined,
): ToolResultPart {
  const media = result.media ?? [];
  const part: ToolResultPart = {
    type: "tool_result",
    tool_call_id: callId,
    content: result.output,
    is_error: result.isError ?? false,
  };
  if (media.length === 0) return part;
  if (model?.supportsVision) return { ...part, media };
  return {
    ...part,
    content: `${result.output}\n[${media.length} attachment(s) not shown: ${model ? `${model.id} cannot take images` : "the model's image support is unknown"}]`,
  };
}
