import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
} from "@anthropic-ai/sdk/resources/messages/messages";
import type { ChatRequest, ContentPart, Message } from "@codetether/core";
import { parseToolCallArguments } from "../shared/tool-call-arguments.js";

const EPHEMERAL = { type: "ephemeral" } as const;

type AnthropicImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";
/** The image types the Messages API accepts; other media stay described in the tool result's text. */
const ANTHROPIC_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
]);

function userBlock(part: ContentPart): ContentBlockParam | undefined {
  switch (part.type) {
    case "text":
      return part.text ? { type: "text", text: part.text } : undefined;
    case "image":
      if (part.data) {
        return {
          type: "image",
          source: {
            type: "base64",
            media_type: part.mimeType as "image/png" | "image/jpeg" | "image/gif" | "image/webp",
            data: part.data,
          },
        };
      }
      return part.url ? { type: "image", source: { type: "url", url: part.url } } : undefined;
    case "file":
      return {
        type: "text",
        text: part.data ? `<file path="${part.path}">\n${part.data}\n</file>` : `[file: ${part.path}]`,
      };
    case "tool_result": {
      const images = (part.media ?? []).filter((m) => ANTHROPIC_IMAGE_TYPES.has(m.mimeType));
      return {
        type: "tool_result",
        tool_use_id: part.tool_call_id,
        content: images.length
          ? [
              { type: "text", text: part.content },
              ...images.map((m) => ({
                type: "image" as const,
                source: {
                  type: "base64" as const,
                  media_type: m.mimeType as AnthropicImageType,
                  data: m.data,
                },
              })),
            ]
          : part.content,
        ...(part.is_error ? { is_error: true } : {}),
      };
    }
    default:
      return undefined;
  }
}

function assistantBlock(part: ContentPart): ContentBlockParam | undefined {
  switch (part.type) {
    case "text":
      return part.text ? { type: "text", text: part.text } : undefined;
    // Thinking is only accepted back with the signature the API issued for it.
    case "thinking":
      return part.signature
        ? { type: "thinking", thinking: part.text, signature: part.signature }
        : undefined;
    case "tool_call":
      return {
        type: "tool_use",
        id: part.id,
        name: part.name,
        input: parseToolCallArguments(part.arguments),
      };
    default:
      return undefined;
  }
}

function toBlocks(message: Message): ContentBlockParam[] {
  const map = message.role === "assistant" ? assistantBlock : userBlock;
  return message.content.map(map).filter((b): b is ContentBlockParam => b !== undefined);
}

/** Marks the last block of a message as a prompt-cache breakpoint. */
function markCached(message: MessageParam): void {
  if (typeof message.content === "string") return;
  const last = message.content.at(-1);
  if (last && last.type !== "thinking" && last.type !== "redacted_thinking") {
    (last as { cache_control?: unknown }).cache_control = EPHEMERAL;
  }
}

export interface AnthropicRequestOptions {
  defaultMaxTokens: number;
  /** Prompt caching breakpoints on the system prompt and the last two turns. Default true. */
  promptCaching?: boolean;
}

/**
 * Maps a core request to Messages API parameters: system messages are hoisted to `system`, tool results
 * travel in user turns, consecutive same-role turns are merged (the API wants alternation).
 */
export function toAnthropicParams(
  request: ChatRequest,
  options: AnthropicRequestOptions,
): MessageCreateParamsStreaming {
  const system: TextBlockParam[] = [];
  const messages: MessageParam[] = [];
  for (const message of request.messages) {
    if (message.role === "system") {
      for (const part of message.content) {
        if (part.type === "text" && part.text) system.push({ type: "text", text: part.text });
      }
      continue;
    }
    const role = message.role === "assistant" ? "assistant" : "user";
    const blocks = toBlocks(message);
    if (blocks.length === 0) continue;
    const previous = messages.at(-1);
    if (previous && previous.role === role && Array.isArray(previous.content))
      previous.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }
  if (options.promptCaching !== false) {
    const lastSystem = system.at(-1);
    if (lastSystem) lastSystem.cache_control = EPHEMERAL;
    for (const message of messages.slice(-2)) markCached(message);
  }
  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens ?? options.defaultMaxTokens,
    messages,
    stream: true,
  };
  if (system.length) params.system = system;
  // Newer SDK typings dropped `temperature`; the API still accepts it for the models that support it.
  if (request.temperature !== undefined) Object.assign(params, { temperature: request.temperature });
  if (request.tools?.length && request.toolChoice !== "none") {
    params.tools = request.tools.map(
      (t): Tool => ({
        name: t.name,
        description: t.description,
        input_schema: { type: "object", ...t.parameters } as Tool["input_schema"],
      }),
    );
    params.tool_choice = request.toolChoice === "required" ? { type: "any" } : { type: "auto" };
  }
  const thinking = request.providerOptions?.thinkingBudgetTokens;
  // The API only allows thinking with tool_choice auto/none, so a forced tool call wins over thinking.
  if (typeof thinking === "number" && thinking > 0 && params.tool_choice?.type !== "any") {
    params.thinking = { type: "enabled", budget_tokens: thinking };
  }
  return params;
}
