import type { ContentBlock } from "@agentclientprotocol/sdk";
import { type ContentPart, type CustomCommand, expandCommand } from "@codetether/core";

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

/**
 * `/name args` as the prompt's first text runs a custom command: the text becomes the command's expanded template.
 * Anything else (unknown names included) is sent as typed.
 */
export function expandSlashCommand(parts: ContentPart[], commands: readonly CustomCommand[]): ContentPart[] {
  return findSlashCommand(parts, commands)?.parts ?? parts;
}

/** The custom command a prompt runs (`/name args` as its first text) and the prompt it expands to. */
export function findSlashCommand(
  parts: ContentPart[],
  commands: readonly CustomCommand[],
): { command: CustomCommand; parts: ContentPart[] } | undefined {
  const first = parts[0];
  if (first?.type !== "text") return undefined;
  const m = first.text.match(/^\s*\/([A-Za-z0-9][A-Za-z0-9._-]*)(?:\s+([\s\S]*))?$/);
  const command = m && commands.find((c) => c.name === m[1]);
  if (!command) return undefined;
  return {
    command,
    parts: [{ type: "text", text: expandCommand(command.template, (m[2] ?? "").trim()) }, ...parts.slice(1)],
  };
}
