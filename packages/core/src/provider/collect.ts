import type { ContentPart, Message } from "../messages.js";
import { addUsage, emptyUsage, type Usage } from "../usage.js";
import type { FinishReason, StreamChunk } from "./stream-chunk.js";

export interface CollectedResponse {
  message: Message;
  usage: Usage;
  finishReason: FinishReason;
}

/**
 * Folds a stream into one assistant message. Used for the non-streaming API and by the agent loop.
 * Content order follows the stream: thinking, text and tool calls keep their relative order.
 */
export class ResponseAccumulator {
  private readonly parts: ContentPart[] = [];
  private readonly openCalls = new Map<string, { name: string; args: string; index: number }>();
  usage: Usage = emptyUsage();
  finishReason: FinishReason = "stop";

  push(chunk: StreamChunk): void {
    switch (chunk.type) {
      case "text-delta": {
        const last = this.parts.at(-1);
        if (last?.type === "text") last.text += chunk.text;
        else this.parts.push({ type: "text", text: chunk.text });
        break;
      }
      case "thinking-delta": {
        const last = this.parts.at(-1);
        if (last?.type === "thinking") {
          last.text += chunk.text;
          if (chunk.signature) last.signature = chunk.signature;
        } else {
          this.parts.push({
            type: "thinking",
            text: chunk.text,
            ...(chunk.signature ? { signature: chunk.signature } : {}),
          });
        }
        break;
      }
      case "tool-call-start": {
        this.parts.push({ type: "tool_call", id: chunk.id, name: chunk.name, arguments: "" });
        this.openCalls.set(chunk.id, { name: chunk.name, args: "", index: this.parts.length - 1 });
        break;
      }
      case "tool-call-delta": {
        const call = this.openCalls.get(chunk.id);
        if (!call) break;
        call.args += chunk.argumentsDelta;
        const part = this.parts[call.index];
        if (part?.type === "tool_call") part.arguments = call.args;
        break;
      }
      case "tool-call-end":
        this.openCalls.delete(chunk.id);
        break;
      case "usage":
        this.usage = addUsage(this.usage, chunk.usage);
        break;
      case "finish":
        this.finishReason = chunk.reason;
        break;
    }
  }

  result(): CollectedResponse {
    const content = this.parts.filter((p) => !(p.type === "text" && p.text === ""));
    const hasCalls = content.some((p) => p.type === "tool_call");
    const finishReason = hasCalls && this.finishReason === "stop" ? "tool_calls" : this.finishReason;
    return {
      message: { role: "assistant", content, createdAt: Date.now() },
      usage: this.usage,
      finishReason,
    };
  }
}

/** Consumes a whole stream: the non-streaming form of {@link Provider.stream}. */
export async function collectStream(stream: AsyncIterable<StreamChunk>): Promise<CollectedResponse> {
  const acc = new ResponseAccumulator();
  for await (const chunk of stream) acc.push(chunk);
  return acc.result();
}
