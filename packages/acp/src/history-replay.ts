import type { SessionUpdate } from "@agentclientprotocol/sdk";
import type { Session, ToolResultPart } from "@codetether/core";
import { todosToPlan } from "./event-translator.js";
import { toolDiffs, toolKind, toolLocations, toolTitle } from "./tool-call-info.js";

function parseArgs(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * A saved session as the `session/update`s an editor needs to redraw it (`session/load`): user and
 * agent messages, thoughts, and each tool call with its final status and result. The compaction
 * summary is not replayed (the editor shows the messages that are still there).
 */
export function replayHistory(session: Session): SessionUpdate[] {
  const results = new Map<string, ToolResultPart>();
  for (const m of session.messages)
    for (const part of m.content) if (part.type === "tool_result") results.set(part.tool_call_id, part);

  const updates: SessionUpdate[] = [];
  for (const message of session.messages) {
    if (message.role === "system" || message.role === "tool") continue;
    for (const part of message.content) {
      if (part.type === "text" && part.text) {
        updates.push({
          sessionUpdate: message.role === "user" ? "user_message_chunk" : "agent_message_chunk",
          content: { type: "text", text: part.text },
        });
      } else if (part.type === "thinking" && part.text) {
        updates.push({ sessionUpdate: "agent_thought_chunk", content: { type: "text", text: part.text } });
      } else if (part.type === "tool_call") {
        const args = parseArgs(part.arguments);
        const result = results.get(part.id);
        const failed = result?.is_error ?? false;
        const diffs = !failed && result ? toolDiffs(part.name, args, session.cwd) : [];
        updates.push({
          sessionUpdate: "tool_call",
          toolCallId: part.id,
          title: toolTitle(part.name, args),
          kind: toolKind(part.name),
          status: result ? (failed ? "failed" : "completed") : "failed",
          locations: toolLocations(part.name, args, session.cwd),
          rawInput: args,
          content: diffs.length
            ? diffs
            : [
                {
                  type: "content",
                  content: { type: "text", text: result?.content ?? "(no result: interrupted)" },
                },
              ],
        });
      }
    }
  }
  const plan = todosToPlan(session.metadata.todos);
  if (plan?.length) updates.push({ sessionUpdate: "plan", entries: plan });
  return updates;
}
