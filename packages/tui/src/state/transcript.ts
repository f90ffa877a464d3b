import type { AgentEvent, Message, Session, Usage } from "@codetether/core";

/** One block of the chat transcript. */
export type Entry =
  | { kind: "user"; text: string }
  | { kind: "assistant"; text: string; thinking: string }
  | {
      kind: "tool";
      callId: string;
      tool: string;
      args: unknown;
      status: "running" | "ok" | "error";
      output: string;
      progress: string;
      durationMs?: number;
      expanded: boolean;
    }
  | { kind: "info"; text: string }
  | { kind: "error"; text: string };

export type ToolEntry = Extract<Entry, { kind: "tool" }>;

/** Token use of one model call, for the inspector. */
export interface StepUsage {
  step: number;
  input: number;
  output: number;
  cost?: number;
}

export interface TranscriptState {
  entries: Entry[];
  running: boolean;
  total?: Usage;
  steps: StepUsage[];
  /** The latest raw agent events (bounded), for the inspector. */
  events: AgentEvent[];
}

export const MAX_RAW_EVENTS = 500;

export function emptyTranscript(): TranscriptState {
  return { entries: [], running: false, steps: [], events: [] };
}

function lastAssistant(entries: Entry[]): Extract<Entry, { kind: "assistant" }> | undefined {
  const last = entries.at(-1);
  return last?.kind === "assistant" ? last : undefined;
}

/** Folds one agent event into the transcript (returns a new state; entries are copied on write). */
export function applyEvent(state: TranscriptState, event: AgentEvent): TranscriptState {
  const events = [...state.events, event].slice(-MAX_RAW_EVENTS);
  const entries = [...state.entries];
  const next: TranscriptState = { ...state, entries, events };
  switch (event.type) {
    case "turn-start":
      next.running = true;
      break;
    case "text-delta":
    case "thinking-delta": {
      const prev = lastAssistant(entries);
      const base = prev ?? { kind: "assistant" as const, text: "", thinking: "" };
      const updated =
        event.type === "text-delta"
          ? { ...base, text: base.text + event.text }
          : { ...base, thinking: base.thinking + event.text };
      if (prev) entries[entries.length - 1] = updated;
      else entries.push(updated);
      break;
    }
    case "tool-start":
      entries.push({
        kind: "tool",
        callId: event.callId,
        tool: event.tool,
        args: event.args,
        status: "running",
        output: "",
        progress: "",
        expanded: false,
      });
      break;
    case "tool-progress":
    case "tool-end": {
      const index = entries.findLastIndex((e) => e.kind === "tool" && e.callId === event.callId);
      const entry = entries[index];
      if (entry?.kind !== "tool") break;
      if (event.type === "tool-progress") {
        const text = "text" in event.event && typeof event.event.text === "string" ? event.event.text : "";
        entries[index] = { ...entry, progress: (entry.progress + text).slice(-4000) };
      } else {
        entries[index] = {
          ...entry,
          status: event.result.isError ? "error" : "ok",
          output: event.result.output,
          durationMs: event.durationMs,
        };
      }
      break;
    }
    case "usage":
      next.total = event.total;
      next.steps = [
        ...state.steps,
        {
          step: event.step,
          input: event.usage.promptTokens,
          output: event.usage.completionTokens,
          ...(event.usage.cost !== undefined ? { cost: event.usage.cost } : {}),
        },
      ];
      break;
    case "retry":
      entries.push({ kind: "info", text: `Retrying (attempt ${event.attempt}): ${event.error}` });
      break;
    case "hook-notice":
      entries.push({ kind: "info", text: `Hook (${event.event}): ${event.message}` });
      break;
    case "compaction":
      entries.push({
        kind: "info",
        text: `Compacted: ${event.removedMessages} messages summarised (${event.summaryChars} chars).`,
      });
      break;
    case "done":
      next.running = false;
      break;
    case "error":
      next.running = false;
      entries.push(
        event.kind === "aborted"
          ? { kind: "info", text: "Interrupted. The session is kept; type to continue." }
          : { kind: "error", text: event.message },
      );
      break;
    default:
      break;
  }
  return next;
}

/** Toggles the expansion of the latest tool output (or the one with `callId`). */
export function toggleTool(state: TranscriptState, callId?: string): TranscriptState {
  const index = state.entries.findLastIndex((e) => e.kind === "tool" && (!callId || e.callId === callId));
  const entry = state.entries[index];
  if (entry?.kind !== "tool") return state;
  const entries = [...state.entries];
  entries[index] = { ...entry, expanded: !entry.expanded };
  return { ...state, entries };
}

function textOf(message: Message): string {
  return message.content
    .map((p) => (p.type === "text" ? p.text : ""))
    .join("")
    .trim();
}

/** Rebuilds a transcript from a saved session (for `/resume`). */
export function transcriptFromSession(session: Session): TranscriptState {
  const state = emptyTranscript();
  state.total = session.usage;
  const tools = new Map<string, ToolEntry>();
  for (const message of session.messages) {
    if (message.role === "user") {
      const text = textOf(message);
      if (text) state.entries.push({ kind: "user", text });
    } else if (message.role === "assistant") {
      const text = textOf(message);
      if (text) state.entries.push({ kind: "assistant", text, thinking: "" });
      for (const part of message.content) {
        if (part.type !== "tool_call") continue;
        let args: unknown = part.arguments;
        try {
          args = JSON.parse(part.arguments);
        } catch {
          // shown as the raw string
        }
        const entry: ToolEntry = {
          kind: "tool",
          callId: part.id,
          tool: part.name,
          args,
          status: "ok",
          output: "",
          progress: "",
          expanded: false,
        };
        tools.set(part.id, entry);
        state.entries.push(entry);
      }
    } else if (message.role === "tool") {
      for (const part of message.content) {
        if (part.type !== "tool_result") continue;
        const entry = tools.get(part.tool_call_id);
        if (!entry) continue;
        entry.output = typeof part.content === "string" ? part.content : JSON.stringify(part.content);
        entry.status = part.is_error ? "error" : "ok";
      }
    }
  }
  return state;
}
