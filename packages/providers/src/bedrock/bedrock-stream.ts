import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { ProviderError, type StreamChunk } from "@codetether/core";
import { claudeFinishReason } from "../shared/claude-stop-reason.js";

/**
 * Maps ConverseStream events to core chunks. Usage arrives in the trailing `metadata` event, after
 * `messageStop`; `promptTokens` counts uncached input + cache reads + cache writes.
 */
export async function* mapConverseStream(
  events: AsyncIterable<ConverseStreamOutput>,
  providerId: string,
): AsyncGenerator<StreamChunk> {
  const toolIds = new Map<number, string>();
  let stop: string | undefined;
  let sawStop = false;
  let sawMetadata = false;
  for await (const event of events) {
    if (event.contentBlockStart) {
      const { contentBlockIndex = 0, start } = event.contentBlockStart;
      const use = start?.toolUse;
      if (use?.toolUseId) {
        toolIds.set(contentBlockIndex, use.toolUseId);
        yield { type: "tool-call-start", id: use.toolUseId, name: use.name ?? "" };
      }
    } else if (event.contentBlockDelta) {
      const { contentBlockIndex = 0, delta } = event.contentBlockDelta;
      if (delta?.text !== undefined) {
        if (delta.text) yield { type: "text-delta", text: delta.text };
      } else if (delta?.toolUse) {
        const id = toolIds.get(contentBlockIndex);
        if (id && delta.toolUse.input)
          yield { type: "tool-call-delta", id, argumentsDelta: delta.toolUse.input };
      } else if (delta?.reasoningContent) {
        const r = delta.reasoningContent;
        if (r.text !== undefined) yield { type: "thinking-delta", text: r.text };
        else if (r.signature !== undefined)
          yield { type: "thinking-delta", text: "", signature: r.signature };
      }
    } else if (event.contentBlockStop) {
      const index = event.contentBlockStop.contentBlockIndex ?? 0;
      const id = toolIds.get(index);
      if (id) {
        toolIds.delete(index);
        yield { type: "tool-call-end", id };
      }
    } else if (event.messageStop) {
      sawStop = true;
      stop = event.messageStop.stopReason;
    } else if (event.metadata) {
      sawMetadata = true;
      const u = event.metadata.usage;
      const input = u?.inputTokens ?? 0;
      const cacheRead = u?.cacheReadInputTokens ?? 0;
      const cacheWrite = u?.cacheWriteInputTokens ?? 0;
      yield {
        type: "usage",
        usage: {
          promptTokens: input + cacheRead + cacheWrite,
          completionTokens: u?.outputTokens ?? 0,
          cacheReadTokens: cacheRead,
          cacheWriteTokens: cacheWrite,
        },
      };
    } else {
      // Modeled in-stream exceptions (throttling, internal, model stream errors) arrive as members too.
      const [name, value] = Object.entries(event).find(([, v]) => v !== undefined) ?? [];
      if (name && name !== "messageStart" && name !== "$unknown") {
        const message = (value as { message?: string } | undefined)?.message ?? name;
        throw Object.assign(new Error(message), { name: name.charAt(0).toUpperCase() + name.slice(1) });
      }
    }
  }
  if (!sawStop) {
    throw new ProviderError(
      `${providerId}: the response stream ended before messageStop (connection lost).`,
      {
        provider: providerId,
        kind: "network",
      },
    );
  }
  if (!sawMetadata)
    yield {
      type: "usage",
      usage: { promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    };
  yield { type: "finish", reason: claudeFinishReason(stop) };
}
