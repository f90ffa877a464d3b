import { randomUUID } from "node:crypto";
import { type Message, type Part, Role } from "@a2a-js/sdk";
import type { ContentPart } from "@codetether/core";

/** Converts the parts of an A2A message into codetether content for the agent. */
export function partsToContent(parts: Part[]): ContentPart[] {
  const out: ContentPart[] = [];
  for (const part of parts) {
    const content = part.content;
    if (!content) continue;
    switch (content.$case) {
      case "text":
        out.push({ type: "text", text: content.value });
        break;
      case "url":
        out.push({
          type: "text",
          text: `[attached ${part.mediaType || "file"}${part.filename ? ` ${part.filename}` : ""}: ${content.value}]`,
        });
        break;
      case "data":
        out.push({ type: "text", text: `\`\`\`json\n${JSON.stringify(content.value, null, 2)}\n\`\`\`` });
        break;
      case "raw":
        if (part.mediaType.startsWith("image/")) {
          out.push({
            type: "image",
            mimeType: part.mediaType,
            data: Buffer.from(content.value).toString("base64"),
          });
        } else {
          out.push({
            type: "file",
            path: part.filename || "attachment",
            ...(part.mediaType ? { mimeType: part.mediaType } : {}),
            data: Buffer.from(content.value).toString("utf8"),
          });
        }
        break;
    }
  }
  return out;
}

export function textPart(text: string): Part {
  return {
    content: { $case: "text", value: text },
    metadata: undefined,
    filename: "",
    mediaType: "text/plain",
  };
}

export function dataPart(value: Record<string, unknown>): Part {
  return {
    content: { $case: "data", value },
    metadata: undefined,
    filename: "",
    mediaType: "application/json",
  };
}

export function agentMessage(text: string, taskId: string, contextId: string): Message {
  return {
    messageId: randomUUID(),
    contextId,
    taskId,
    role: Role.ROLE_AGENT,
    parts: [textPart(text)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** Plain text of an A2A message (text parts only), for prompts and worker output. */
export function messageTextOf(message: Message | undefined): string {
  if (!message) return "";
  return message.parts
    .map((p) => (p.content?.$case === "text" ? p.content.value : ""))
    .filter(Boolean)
    .join("\n");
}
