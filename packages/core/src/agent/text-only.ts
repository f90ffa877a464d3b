import type { Message } from "../messages.js";
import type { ChatRequest, ToolDefinition } from "../provider/chat-request.js";

/**
 * The request a model without native tool calling (`supportsTools: false`, from the catalog or config) gets:
 * no tool schemas (endpoints that reject `tools` would fail), the tools named in the system prompt instead so
 * the model can say which it would use (a tool router then turns that answer into calls), and earlier calls and
 * results as plain text.
 */
export function textOnlyRequest(request: ChatRequest): ChatRequest {
  const { tools, ...rest } = request;
  return { ...rest, messages: textOnlyMessages(request.messages, tools ?? []) };
}

function toolList(tools: readonly ToolDefinition[]): string {
  const lines = tools.map((t) => `- ${t.name}: ${(t.description.split("\n")[0] ?? "").slice(0, 160)}`);
  return (
    "\n\nYou cannot call tools directly. To use one, say plainly which tool you would use and with what " +
    `arguments (for example: "I'll read src/index.ts"). Available tools:\n${lines.join("\n")}`
  );
}

function textOnlyMessages(messages: readonly Message[], tools: readonly ToolDefinition[]): Message[] {
  const names = new Map<string, string>();
  return messages.map((message, index): Message => {
    if (message.role === "system" && index === 0 && tools.length > 0) {
      return { ...message, content: [...message.content, { type: "text", text: toolList(tools) }] };
    }
    if (message.role === "assistant" && message.content.some((p) => p.type === "tool_call")) {
      return {
        ...message,
        content: message.content.map((p) => {
          if (p.type !== "tool_call") return p;
          names.set(p.id, p.name);
          return { type: "text", text: `\n[used tool ${p.name} with ${p.arguments}]` };
        }),
      };
    }
    if (message.role === "tool") {
      return {
        ...message,
        role: "user",
        content: message.content.map((p) =>
          p.type === "tool_result"
            ? {
                type: "text",
                text: `[result of ${names.get(p.tool_call_id) ?? "tool"}${p.is_error ? " (error)" : ""}]\n${p.content}`,
              }
            : p,
        ),
      };
    }
    return message;
  });
}
