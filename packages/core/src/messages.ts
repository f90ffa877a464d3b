import { z } from "zod";
import { UsageSchema } from "./usage.js";
import { lazySchema } from "./util/lazy-schema.js";

/** Plain text. */
export const TextPartSchema = lazySchema(() => z.object({ type: z.literal("text"), text: z.string() }));

/** An image, inline (base64 `data`) or by `url`. */
export const ImagePartSchema = lazySchema(() =>
  z.object({
    type: z.literal("image"),
    mimeType: z.string(),
    data: z.string().optional(),
    url: z.string().optional(),
  }),
);

/** A file attached to the conversation (path for display, optional inline content). */
export const FilePartSchema = lazySchema(() =>
  z.object({
    type: z.literal("file"),
    path: z.string(),
    mimeType: z.string().optional(),
    data: z.string().optional(),
  }),
);

/** A tool call requested by the model. `arguments` is the raw JSON text the model produced. */
export const ToolCallPartSchema = lazySchema(() =>
  z.object({
    type: z.literal("tool_call"),
    id: z.string(),
    name: z.string(),
    arguments: z.string(),
  }),
);

/** Base64 media a tool returned (an MCP image, the `image` tool's file), for models that can take it. */
export const ToolMediaSchema = lazySchema(() => z.object({ mimeType: z.string(), data: z.string() }));

/**
 * The result of a tool call, sent back to the model. `content` is always complete as text (media are described
 * in it); `media` is sent as well where the provider's API and the model accept it.
 */
export const ToolResultPartSchema = lazySchema(() =>
  z.object({
    type: z.literal("tool_result"),
    tool_call_id: z.string(),
    content: z.string(),
    is_error: z.boolean().default(false),
    media: z.array(ToolMediaSchema).optional(),
  }),
);

/** Model reasoning. `signature` round-trips vendor verification data (e.g. Anthropic thinking signatures). */
export const ThinkingPartSchema = lazySchema(() =>
  z.object({
    type: z.literal("thinking"),
    text: z.string(),
    signature: z.string().optional(),
  }),
);

export const ContentPartSchema = lazySchema(() =>
  z.discriminatedUnion("type", [
    TextPartSchema,
    ImagePartSchema,
    FilePartSchema,
    ToolCallPartSchema,
    ToolResultPartSchema,
    ThinkingPartSchema,
  ]),
);

export const RoleSchema = lazySchema(() => z.enum(["system", "user", "assistant", "tool"]));

export const MessageSchema = lazySchema(() =>
  z.object({
    role: RoleSchema,
    content: z.array(ContentPartSchema),
    /** Milliseconds since the epoch. */
    createdAt: z.number().optional(),
    /** On assistant messages: the `provider/model` that wrote it and what the call cost (for `stats`). */
    model: z.string().optional(),
    usage: UsageSchema.optional(),
  }),
);

export type TextPart = z.infer<typeof TextPartSchema>;
export type ImagePart = z.infer<typeof ImagePartSchema>;
export type FilePart = z.infer<typeof FilePartSchema>;
export type ToolCallPart = z.infer<typeof ToolCallPartSchema>;
export type ToolResultPart = z.infer<typeof ToolResultPartSchema>;
export type ToolMedia = z.infer<typeof ToolMediaSchema>;
export type ThinkingPart = z.infer<typeof ThinkingPartSchema>;
export type ContentPart = z.infer<typeof ContentPartSchema>;
export type Role = z.infer<typeof RoleSchema>;
export type Message = z.infer<typeof MessageSchema>;

/** Builds a message from text. */
export function textMessage(role: Role, text: string): Message {
  return { role, content: [{ type: "text", text }], createdAt: Date.now() };
}

/** Concatenates the text parts of a message. */
export function messageText(message: Message): string {
  return message.content
    .filter((p): p is TextPart => p.type === "text")
    .map((p) => p.text)
    .join("");
}

/** The tool calls of an assistant message. */
export function toolCallsOf(message: Message): ToolCallPart[] {
  return message.content.filter((p): p is ToolCallPart => p.type === "tool_call");
}
