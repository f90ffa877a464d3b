import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { PlanEntry, SessionUpdate, StopReason, ToolCallContent } from "@agentclientprotocol/sdk";
import type { AgentEvent, TurnEndReason, Usage } from "@codetether/core";
import { toolDiffs, toolKind, toolLocations, toolTitle } from "./tool-call-info.js";

const PLAN_STATUS: Record<string, PlanEntry["status"] | undefined> = {
  pending: "pending",
  in_progress: "in_progress",
  completed: "completed",
};

/** A todo list (todowrite metadata) as an ACP plan; cancelled items are left out. */
export function todosToPlan(todos: unknown): PlanEntry[] | undefined {
  if (!Array.isArray(todos)) return undefined;
  const entries: PlanEntry[] = [];
  for (const t of todos) {
    if (!t || typeof t !== "object") continue;
    const { content, status, priority } = t as Record<string, unknown>;
    const mapped = typeof status === "string" ? PLAN_STATUS[status] : undefined;
    if (typeof content !== "string" || !mapped) continue;
    const p = priority === "high" || priority === "low" ? priority : "medium";
    entries.push({ content, status: mapped, priority: p });
  }
  return entries;
}

/** Why a turn ended, in ACP terms. */
export function stopReasonFor(reason: TurnEndReason): StopReason {
  switch (reason) {
    case "length":
      return "max_tokens";
    case "max_steps":
      return "max_turn_requests";
    case "content_filter":
      return "refusal";
    case "aborted":
      return "cancelled";
    default:
      return "end_turn";
  }
}

function textContent(text: string): ToolCallContent {
  return { type: "content", content: { type: "text", text } };
}

/** Files larger than this get no before/after snapshot (the diff falls back to the arguments). */
const MAX_SNAPSHOT_BYTES = 1024 * 1024;

/** A file's text for a diff: null when it does not exist, undefined when too large or unreadable. */
function snapshot(file: string): string | null | undefined {
  try {
    if (statSync(file).size > MAX_SNAPSHOT_BYTES) return undefined;
    return readFileSync(file, "utf8");
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? null : undefined;
  }
}

function editedPath(args: unknown, cwd: string): string | undefined {
  const p = args && typeof args === "object" ? (args as { path?: unknown }).path : undefined;
  return typeof p === "string" && p ? path.resolve(cwd, p) : undefined;
}

export interface TranslatorOptions {
  cwd: string;
  /** Model context window, for `usage_update.size` (0 when unknown). */
  contextWindow?: number;
}

/**
 * Turns the core agent's events into ACP `session/update`s: text and thinking chunks, tool calls
 * (pending → in_progress → completed/failed, with kind, title, locations and diffs), plan updates from
 * `todowrite`, and context usage.
 */
export class EventTranslator {
  private readonly args = new Map<string, unknown>();
  /** Content of a local file before an edit tool ran, for a full diff when the tool has none. */
  private readonly before = new Map<string, { file: string; text: string | null }>();

  constructor(private readonly options: TranslatorOptions) {}

  translate(event: AgentEvent): SessionUpdate[] {
    const { cwd } = this.options;
    switch (event.type) {
      case "text-delta":
        return [{ sessionUpdate: "agent_message_chunk", content: { type: "text", text: event.text } }];
      case "thinking-delta":
        return [{ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: event.text } }];
      case "tool-call": {
        let args: unknown = event.arguments;
        try {
          args = JSON.parse(event.arguments);
        } catch {
          // shown raw; the registry reports the bad JSON to the model
        }
        this.args.set(event.callId, args);
        return [
          {
            sessionUpdate: "tool_call",
            toolCallId: event.callId,
            title: toolTitle(event.tool, args),
            kind: toolKind(event.tool),
            status: "pending",
            locations: toolLocations(event.tool, args, cwd),
            rawInput: args,
          },
        ];
      }
      case "tool-start": {
        this.args.set(event.callId, event.args);
        const file = toolKind(event.tool) === "edit" ? editedPath(event.args, cwd) : undefined;
        const text = file ? snapshot(file) : undefined;
        if (file && text !== undefined) this.before.set(event.callId, { file, text });
        return [{ sessionUpdate: "tool_call_update", toolCallId: event.callId, status: "in_progress" }];
      }
      case "tool-progress": {
        const terminalId = event.event.data?.terminalId;
        if (typeof terminalId !== "string") return [];
        return [
          {
            sessionUpdate: "tool_call_update",
            toolCallId: event.callId,
            content: [{ type: "terminal", terminalId }],
          },
        ];
      }
      case "tool-end":
        return this.toolEnd(event);
      case "usage":
        return [this.usageUpdate(event.usage, event.total)];
      case "hook-notice":
        // A failed or timed-out hook, a hook's systemMessage: for the user, as its own quoted line in the reply
        // (session notices need a client capability most editors do not advertise yet).
        return [
          {
            sessionUpdate: "agent_message_chunk",
            content: { type: "text", text: `\n> hook (${event.event}): ${event.message}\n` },
          },
        ];
      default:
        return [];
    }
  }

  private toolEnd(event: Extract<AgentEvent, { type: "tool-end" }>): SessionUpdate[] {
    const args = this.args.get(event.callId);
    const before = this.before.get(event.callId);
    this.args.delete(event.callId);
    this.before.delete(event.callId);
    const failed = event.result.isError === true;
    const content: ToolCallContent[] = [];
    if (!failed && toolKind(event.tool) === "edit") {
      const after = before && !event.result.metadata?.diff ? snapshot(before.file) : undefined;
      if (before && typeof after === "string" && after !== before.text)
        content.push({ type: "diff", path: before.file, oldText: before.text, newText: after });
      else content.push(...toolDiffs(event.tool, args, this.options.cwd, event.result));
    }
    const terminalId = event.result.metadata?.terminalId;
    if (typeof terminalId === "string") content.push({ type: "terminal", terminalId });
    else if (content.length === 0 || failed) content.push(textContent(event.result.output));
    const updates: SessionUpdate[] = [
      {
        sessionUpdate: "tool_call_update",
        toolCallId: event.callId,
        status: failed ? "failed" : "completed",
        content,
        rawOutput: { output: event.result.output, ...(event.result.metadata ?? {}) },
      },
    ];
    if (event.tool === "todowrite" && !failed) {
      const entries = todosToPlan(event.result.metadata?.todos);
      if (entries) updates.push({ sessionUpdate: "plan", entries });
    }
    return updates;
  }

  private usageUpdate(step: Usage, total: Usage): SessionUpdate {
    // The context in use is the last call's prompt plus its answer.
    const used = step.promptTokens + step.completionTokens;
    return {
      sessionUpdate: "usage_update",
      used,
      size: this.options.contextWindow ?? 0,
      ...(total.cost !== undefined ? { cost: { amount: total.cost, currency: "USD" } } : {}),
    };
  }
}
