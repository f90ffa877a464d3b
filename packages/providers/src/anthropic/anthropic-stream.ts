import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages/messages";
import { ProviderError, type StreamChunk, type Usage } from "@codetether/core";
import { claudeFinishReason } from "../shared/claude-stop-reason.js";

/**
 * Maps Messages API stream events to core chunks. `promptTokens` counts every prompt token
 * (uncached input + cache reads + cache writes), like OpenAI's `prompt_tokens`.
 */
export async function* mapAnthropicEvents(
  events: AsyncIterable<RawMessageStreamEvent>,
  providerId: string,
): AsyncGenerator<StreamChunk> {
  const toolIds = new Map<number, string>();
  let input = 0;
  let cacheRead = 0;
  let cacheWrite = 0;
  let output = 0;
  let stop: string | null | undefined;
  let stopped = false;
  for await (const event of events) {
    switch (event.type) {
      case "message_start": {
        const u = event.message.usage;
        input = u.input_tokens ?? 0;
        cacheRead = u.cache_read_input_tokens ?? 0;
        cacheWrite = u.cache_creation_input_tokens ?? 0;
        output = u.output_tokens ?? 0;
        break;
      }
      case "content_block_start": {
        const block = event.content_block;
        if (block.type === "tool_use") {
          toolIds.set(event.index, block.id);
          yield { type: "tool-call-start", id: block.id, name: block.name };
          const initial = block.input as Record<string, unknown> | undefined;
          if (initial && Object.keys(initial).length > 0) {
            yield { type: "tool-call-delta", id: block.id, argumentsDelta: JSON.stringify(initial) };
          }
        } else if (block.type === "text" && block.text) {
          yield { type: "text-delta", text: block.text };
        }
        break;
      }
      case "content_block_delta": {
        const delta = event.delta;
        if (delta.type === "text_delta") yield { type: "text-delta", text: delta.text };
        else if (delta.type === "thinking_delta") yield { type: "thinking-delta", text: delta.thinking };
        else if (delta.type === "signature_delta") {
          yield { type: "thinking-delta", text: "", signature: delta.signature };
        } else if (delta.type === "input_json_delta") {
          const id = toolIds.get(event.index);
          if (id && delta.partial_json)
            yield { type: "tool-call-delta", id, argumentsDelta: delta.partial_json };
        }
        break;
      }
      case "content_block_stop": {
        const id = toolIds.get(event.index);
        if (id) {
          toolIds.delete(event.index);
          yield { type: "tool-call-end", id };
        }
        break;
      }
      case "message_delta": {
        stop = event.delta.stop_reason;
        const u = event.usage;
        output = u.output_tokens ?? output;
        if (typeof u.input_tokens === "number") input = u.input_tokens;
        if (typeof u.cache_read_input_tokens === "number") cacheRead = u.cache_read_input_tokens;
        if (typeof u.cache_creation_input_tokens === "number") cacheWrite = u.cache_creation_input_tokens;
        break;
      }
      case "message_stop": {
        stopped = true;
        const usage: Usage = {
          promptTokens: input + cacheRead + cacheWrite,
          completionTokens: output,
          cacheReadTokens: cacheRead,
          cacheWriteTokens: cacheWrite,
        };
        yield { type: "usage", usage };
        yield { type: "finish", reason: claudeFinishReason(stop) };
        break;
      }
    }
  }
  if (!stopped) {
    throw new ProviderError(
      `${providerId}: the response stream ended before message_stop (connection lost).`,
      {
        provider: providerId,
        kind: "network",
      },
    );
  }
}
