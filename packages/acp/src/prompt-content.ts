import type { ContentBlock } from "@agentclientprotocol/sdk";
import type { ContentPart } from "@codetether/core";

/**
 * An ACP prompt as core message parts. Embedded resources (files the user attached, with the editor's
 * buffer contents) become tagged text; links become a mention the model can read with its tools.
 */
export function promptToParts(blocks: ContentBlock[]): ContentPart[] {
  const parts: ContentPart[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "text":
        parts.push({ type: "text", text: block.text });
        break;
      case "image":
        parts.push({
          type: "image",
          mimeType: block.mimeType,
          ...(block.data ? { data: block.data } : {}),
          ...(block.uri ? { url: block.uri } : {}),
        });
        break;
      case "resource_link":
        parts.push({ type: "text", text: `@${uriToPath(block.uri)}` });
        break;
      case "resource": {
        const r = block.resource;
        if ("text" in r)
          parts.push({ type: "text", text: `<file path="${uriToPath(r.uri)}">\n${r.text}\n</file>` });
        else
          parts.push({
            type: "text",
            text: `@${uriToPath(r.uri)} (binary attachment, ${r.mimeType ?? "unknown type"})`,
          });
        break;
      }
      default:
        parts.push({ type: "text", text: `[unsupported ${block.type} attachment left out]` });
    }
  }
  return parts;
}

function uriToPath(uri: string): string {
  if (!uri.startsWith("file://")) return uri;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}
