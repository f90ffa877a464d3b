import type { ToolMedia, ToolResult } from "@codetether/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

type ContentBlock = CallToolResult["content"][number];

function describeBlock(block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "image":
      return `[image: ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
    case "audio":
      return `[audio: ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`;
    case "resource": {
      const resource = block.resource;
      return "text" in resource && typeof resource.text === "string"
        ? `[resource ${resource.uri}]\n${resource.text}`
        : `[resource ${resource.uri}${resource.mimeType ? ` (${resource.mimeType})` : ""}]`;
    }
    case "resource_link":
      return `[resource link: ${block.uri}${block.name ? ` "${block.name}"` : ""}]`;
    default:
      return `[unsupported content: ${(block as { type: string }).type}]`;
  }
}

/** Images and audio of a result (inline blocks and binary resources), sent to models that can take them. */
function mediaOf(blocks: readonly ContentBlock[]): ToolMedia[] {
  return blocks.flatMap((block): ToolMedia[] => {
    if (block.type === "image" || block.type === "audio")
      return [{ mimeType: block.mimeType, data: block.data }];
    if (block.type === "resource" && "blob" in block.resource && typeof block.resource.blob === "string") {
      const mimeType = block.resource.mimeType ?? "";
      return /^(image|audio)\//.test(mimeType) ? [{ mimeType, data: block.resource.blob }] : [];
    }
    return [];
  });
}

/** Characters of server output sent to the model; servers can return whole files or databases. */
export const MAX_MCP_OUTPUT_CHARS = 100_000;

/** MCP `CallToolResult` → core `ToolResult`: text for the model, raw blocks for UIs. */
export function toToolResult(
  server: string,
  tool: string,
  result: CallToolResult,
  maxChars = MAX_MCP_OUTPUT_CHARS,
): ToolResult {
  const parts = (result.content ?? []).map(describeBlock);
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent, null, 2));
  }
  let output = parts.join("\n") || "(the tool returned no content)";
  const clipped = output.length > maxChars;
  if (clipped)
    output = `${output.slice(0, maxChars)}\n[output clipped: ${output.length} characters, showing ${maxChars}]`;
  const media = mediaOf(result.content ?? []);
  return {
    ...(media.length ? { media } : {}),
    output: result.isError
      ? `MCP tool "${tool}" on server "${server}" reported an error:\n${output}`
      : output,
    ...(result.isError ? { isError: true } : {}),
    metadata: {
      mcpServer: server,
      mcpTool: tool,
      clipped,
      content: result.content,
      ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
    },
  };
}
