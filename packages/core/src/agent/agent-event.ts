import type { FinishReason } from "../provider/stream-chunk.js";
import type { ToolProgressEvent, ToolResult } from "../tool/tool.js";
import type { Usage } from "../usage.js";
import type { HookEventName } from "./agent-hooks.js";

/** Why a turn ended. */
export type TurnEndReason = FinishReason | "max_steps" | "aborted";

/** Everything an agent turn reports, in order. UIs, `--json` and A2A are built from these. */
export type AgentEvent =
  | { type: "turn-start"; sessionId: string; model: string }
  | { type: "step-start"; step: number }
  | { type: "text-delta"; text: string }
  | { type: "thinking-delta"; text: string }
  | { type: "tool-call"; callId: string; tool: string; arguments: string }
  | { type: "tool-start"; callId: string; tool: string; args: unknown }
  | { type: "tool-progress"; callId: string; tool: string; event: ToolProgressEvent }
  | { type: "tool-end"; callId: string; tool: string; result: ToolResult; durationMs: number }
  | { type: "usage"; step: number; usage: Usage; total: Usage }
  | { type: "retry"; attempt: number; delayMs: number; error: string }
  | { type: "compaction"; removedMessages: number; summaryChars: number }
  /** Something a hook wants the user to see: a failed or timed-out hook, a blocked prompt's reason, a systemMessage. */
  | { type: "hook-notice"; event: HookEventName; message: string }
  /** The tool router's decision on a text-only answer: calls added, none found, skipped or failed, and why. */
  | {
      type: "tool-routing";
      outcome: "routed" | "no_calls" | "skipped" | "failed";
      reason?: string;
      calls: number;
      toolsDeclared?: number;
      toolsAvailable?: number;
      promptTokens?: number;
      durationMs?: number;
    }
  | { type: "step-end"; step: number; finishReason: FinishReason }
  | { type: "done"; sessionId: string; text: string; reason: TurnEndReason; steps: number; usage: Usage }
  | { type: "error"; sessionId: string; message: string; kind: string };
