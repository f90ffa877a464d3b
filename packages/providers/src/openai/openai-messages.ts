import type { ChatRequest, ContentPart, Message } from "@codetether/core";
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";

/** How a vendor wants a request shaped (its quirks). */
export interface OpenAIRequestQuirks {
  /** Send thinking back as `reasoning_content` on assistant messages (Moonshot, Z.ai). */
  roundTripReasoning?: boolean;
  /** `max_completion_tokens` (OpenAI) or the older `max_tokens` (most compatible vendors). */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /** Ask for a usage chunk with `stream_options.include_usage` (default true). */
  streamUsage?: boolean;
  /** Extra body fields every request carries (e.g. Z.ai `thinking`). */
  extraBody?: Record<string, unknown>;
  /** Mistral accepts only 9-character alphanumeric tool-call ids; others (from other vendors) are rewritten. */
  toolCallIds?: "any" | "alnum9";
}

/** A stable 9-character alphanumeric id for any tool-call id (kept when it already has that form). */
export function alnum9ToolCallId(id: string): string {
  if (/^[a-zA-Z0-9]{9}$/.test(id)) return id;
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  // FNV-1a over the id, two rounds with different seeds for 9 characters of spread.
  let out = "";
  for (const seed of [0x811c9dc5, 0x01000193]) {
    let h = seed;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
    for (let i = 0; i < 5 && out.length < 9; i++) {
      out += alphabet[h % 62];
      h = Math.floor(h / 62);
    }
  }
  return out;
}

type AssistantParam = Extract<ChatCompletionMessageParam, { role: "assistant" }> & {
  reasoning_content?: string;
};

function userContent(parts: ContentPart[]): string | ChatCompletionContentPart[] {
  const out: ChatCompletionContentPart[] = [];
  for (const part of parts) {
    if (part.type === "text") out.push({ type: "text", text: part.text });
    else if (part.type === "image") {
      const url = part.url ?? `data:${part.mimeType};base64,${part.data ?? ""}`;
      out.push({ type: "image_url", image_url: { url } });
    } else if (part.type === "file") {
      const body = part.data !== undefined ? `\n${part.data}\n` : "";
      out.push({ type: "text", text: `<file path="${part.path}">${body}</file>` });
    }
  }
  if (out.every((p) => p.type === "text")) return out.map((p) => (p as { text: string }).text).join("\n");
  return out;
}

function textOf(parts: ContentPart[]): string {
  return parts
    .filter((p) => p.type === "text")
    .map((p) => (p as { text: string }).text)
    .join("");
}

const callId = (id: string, quirks: OpenAIRequestQuirks) =>
  quirks.toolCallIds === "alnum9" ? alnum9ToolCallId(id) : id;

function toolMessages(parts: ContentPart[], quirks: OpenAIRequestQuirks): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = parts.flatMap((p) =>
    p.type === "tool_result"
      ? [
          {
            role: "tool" as const,
            tool_call_id: callId(p.tool_call_id, quirks),
            content: p.content === "" ? "(no output)" : p.content,
          },
        ]
      : [],
  );
  // Chat Completions tool messages hold text only: images a tool returned follow them in one user message.
  const images: ChatCompletionContentPart[] = parts.flatMap((p) =>
    p.type === "tool_result"
      ? (p.media ?? [])
          .filter((m) => m.mimeType.startsWith("image/"))
          .map((m) => ({
            type: "image_url" as const,
            image_url: { url: `data:${m.mimeType};base64,${m.data}` },
          }))
      : [],
  );
  if (images.length)
    out.push({
      role: "user",
      content: [{ type: "text", text: "Images returned by the tool calls above:" }, ...images],
    });
  return out;
}

function assistantMessage(message: Message, quirks: OpenAIRequestQuirks): AssistantParam {
  const calls = message.content.flatMap((p) =>
    p.type === "tool_call"
      ? [
          {
            id: callId(p.id, quirks),
            type: "function" as const,
            function: { name: p.name, arguments: p.arguments || "{}" },
          },
        ]
      : [],
  );
  const text = textOf(message.content);
  const out: AssistantParam = { role: "assistant", content: text === "" && calls.length ? null : text };
  if (calls.length) out.tool_calls = calls;
  if (quirks.roundTripReasoning) {
    const reasoning = message.content
      .filter((p) => p.type === "thinking")
      .map((p) => (p as { text: string }).text)
      .join("");
    // Moonshot rejects assistant tool-call messages without reasoning_content when thinking is on.
    if (reasoning !== "" || calls.length) out.reasoning_content = reasoning;
  }
  return out;
}

/** Core messages → Chat Completions messages. Tool results become `tool` messages, in order. */
export function toOpenAIMessages(
  messages: Message[],
  quirks: OpenAIRequestQuirks = {},
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
        out.push({ role: "system", content: textOf(message.content) });
        break;
      case "assistant":
        out.push(assistantMessage(message, quirks));
        break;
      case "tool":
        out.push(...toolMessages(message.content, quirks));
        break;
      case "user": {
        out.push(...toolMessages(message.content, quirks));
        const rest = message.content.filter((p) => p.type !== "tool_result");
        if (rest.length) out.push({ role: "user", content: userContent(rest) });
        break;
      }
    }
  }
  return out;
}

/** A core request → streaming Chat Completions parameters, with tools as JSON Schema functions. */
export function toOpenAIParams(
  request: ChatRequest,
  quirks: OpenAIRequestQuirks = {},
): ChatCompletionCreateParamsStreaming {
  const params: ChatCompletionCreateParamsStreaming = {
    model: request.model,
    messages: toOpenAIMessages(request.messages, quirks),
    stream: true,
  };
  if (quirks.streamUsage !== false) params.stream_options = { include_usage: true };
  if (request.tools?.length) {
    params.tools = request.tools.map((t) => ({
      type: "function" as const,
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    if (request.toolChoice) params.tool_choice = request.toolChoice;
  }
  if (request.maxTokens !== undefined) {
    if (quirks.maxTokensField === "max_completion_tokens") params.max_completion_tokens = request.maxTokens;
    else params.max_tokens = request.maxTokens;
  }
  if (request.temperature !== undefined) params.temperature = request.temperature;
  return {
    ...params,
    ...quirks.extraBody,
    ...request.providerOptions,
  } as ChatCompletionCreateParamsStreaming;
}
