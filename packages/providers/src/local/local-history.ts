import type { ChatRequest, ContentPart } from "@codetether/core";
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";

function partText(part: ContentPart): string {
  switch (part.type) {
    case "text":
      return part.text;
    case "file":
      return part.data ? `<file path="${part.path}">\n${part.data}\n</file>` : `[file: ${part.path}]`;
    case "image":
      return `[image${part.url ? `: ${part.url}` : ""} — this local model cannot see images]`;
    case "tool_result":
      return `[result of tool call ${part.tool_call_id}]\n${part.content}`;
    default:
      return "";
  }
}

function parseParams(text: string): unknown {
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch {
    return text;
  }
}

/**
 * Maps core messages to node-llama-cpp chat history. Tool results are folded into the function call they
 * answer (node-llama-cpp keeps a call and its result together in the model turn). The history always ends
 * with a model turn, which generation then continues.
 */
export function toChatHistory(request: ChatRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const calls = new Map<string, ChatModelFunctionCall>();
  for (const message of request.messages) {
    if (message.role === "system") {
      const text = message.content.map(partText).join("");
      if (text) history.push({ type: "system", text });
    } else if (message.role === "assistant") {
      const response: ChatModelResponse["response"] = [];
      for (const part of message.content) {
        if (part.type === "text" && part.text) response.push(part.text);
        else if (part.type === "tool_call") {
          const call: ChatModelFunctionCall = {
            type: "functionCall",
            name: part.name,
            params: parseParams(part.arguments),
            result: undefined,
          };
          calls.set(part.id, call);
          response.push(call);
        }
      }
      history.push({ type: "model", response });
    } else {
      const loose: string[] = [];
      for (const part of message.content) {
        const call = part.type === "tool_result" ? calls.get(part.tool_call_id) : undefined;
        if (call && part.type === "tool_result") {
          call.result = part.is_error ? { error: part.content } : part.content;
        } else {
          const text = partText(part);
          if (text) loose.push(text);
        }
      }
      if (loose.length) history.push({ type: "user", text: loose.join("\n") });
    }
  }
  // A call nobody answered would make the template invalid; record that explicitly.
  for (const call of calls.values()) if (call.result === undefined) call.result = { error: "no result" };
  if (history.at(-1)?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}
