import type {
  ContentBlock,
  ConverseStreamCommandInput,
  ImageFormat,
  Message,
  SystemContentBlock,
  Tool,
} from "@aws-sdk/client-bedrock-runtime";
import type { ChatRequest, ContentPart } from "@codetether/core";
import { parseToolCallArguments } from "../shared/tool-call-arguments.js";

/** Smithy's JSON document type, as the SDK declares tool inputs and schemas. */
type Document = NonNullable<ContentBlock.ToolUseMember["toolUse"]["input"]>;

/** Image media types a Converse tool result can carry; other media stay described in its text. */
const BEDROCK_IMAGE_FORMATS: Record<string, ImageFormat> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

function block(part: ContentPart, role: "user" | "assistant"): ContentBlock | undefined {
  switch (part.type) {
    case "text":
      return part.text ? { text: part.text } : undefined;
    case "image": {
      if (!part.data) return part.url ? { text: `[image: ${part.url}]` } : undefined;
      const format = part.mimeType.replace(/^image\//, "").replace("jpg", "jpeg") as ImageFormat;
      return { image: { format, source: { bytes: Buffer.from(part.data, "base64") } } };
    }
    case "file":
      return {
        text: part.data ? `<file path="${part.path}">\n${part.data}\n</file>` : `[file: ${part.path}]`,
      };
    case "thinking":
      // Reasoning goes back only on assistant turns and only with the signature the model issued.
      return role === "assistant" && part.signature
        ? { reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } }
        : undefined;
    case "tool_call":
      return {
        toolUse: {
          toolUseId: part.id,
          name: part.name,
          input: parseToolCallArguments(part.arguments) as Document,
        },
      };
    case "tool_result":
      return {
        toolResult: {
          toolUseId: part.tool_call_id,
          content: [
            { text: part.content },
            ...(part.media ?? []).flatMap((m) => {
              const format = BEDROCK_IMAGE_FORMATS[m.mimeType];
              return format ? [{ image: { format, source: { bytes: Buffer.from(m.data, "base64") } } }] : [];
            }),
          ],
          status: part.is_error ? "error" : "success",
        },
      };
  }
}

export interface BedrockRequestOptions {
  modelId: string;
  /** Adds `cachePoint` blocks after the system prompt and the last message. Default false. */
  promptCaching?: boolean;
}

/** Maps a core request to ConverseStream input: system → `system`, tool results → user `toolResult` blocks. */
export function toConverseInput(
  request: ChatRequest,
  options: BedrockRequestOptions,
): ConverseStreamCommandInput {
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  for (const message of request.messages) {
    if (message.role === "system") {
      for (const p of message.content) if (p.type === "text" && p.text) system.push({ text: p.text });
      continue;
    }
    const role = message.role === "assistant" ? "assistant" : "user";
    const blocks = message.content
      .map((p) => block(p, role))
      .filter((b): b is ContentBlock => b !== undefined);
    if (blocks.length === 0) continue;
    const previous = messages.at(-1);
    if (previous?.role === role) previous.content?.push(...blocks);
    else messages.push({ role, content: blocks });
  }
  if (options.promptCaching) {
    if (system.length) system.push({ cachePoint: { type: "default" } });
    messages.at(-1)?.content?.push({ cachePoint: { type: "default" } });
  }
  const input: ConverseStreamCommandInput = { modelId: options.modelId, messages };
  if (system.length) input.system = system;
  if (request.maxTokens !== undefined || request.temperature !== undefined) {
    input.inferenceConfig = {
      ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    };
  }
  if (request.tools?.length && request.toolChoice !== "none") {
    input.toolConfig = {
      tools: request.tools.map(
        (t): Tool => ({
          toolSpec: {
            name: t.name,
            description: t.description,
            inputSchema: { json: t.parameters as Document },
          },
        }),
      ),
      toolChoice: request.toolChoice === "required" ? { any: {} } : { auto: {} },
    };
  }
  return input;
}
