import { type FinishReason, ProviderError, type StreamChunk } from "@codetether/core";
import type { GenerateContentResponse } from "@google/genai";

function finishReason(reason: string | undefined, sawCalls: boolean): FinishReason {
  switch (reason) {
    case "STOP":
      return sawCalls ? "tool_calls" : "stop";
    case "MAX_TOKENS":
      return "length";
    case "SAFETY":
    case "RECITATION":
    case "BLOCKLIST":
    case "PROHIBITED_CONTENT":
    case "SPII":
    case "IMAGE_SAFETY":
      return "content_filter";
    case "MALFORMED_FUNCTION_CALL":
    case "UNEXPECTED_TOOL_CALL":
      return "error";
    default:
      return sawCalls ? "tool_calls" : "other";
  }
}

/**
 * Maps `streamGenerateContent` responses to core chunks. Gemini sends each function call whole, so a call
 * becomes start → one delta → end. Calls without an id (Gemini API) get a generated, unique one.
 */
export async function* mapGeminiStream(
  responses: AsyncIterable<GenerateContentResponse>,
  providerId: string,
): AsyncGenerator<StreamChunk> {
  let finish: string | undefined;
  let calls = 0;
  let usage: GenerateContentResponse["usageMetadata"];
  const prefix = `call_${Date.now().toString(36)}`;
  for await (const response of responses) {
    if (response.usageMetadata) usage = response.usageMetadata;
    const candidate = response.candidates?.[0];
    if (!candidate) {
      const blocked = response.promptFeedback?.blockReason;
      if (blocked) {
        throw new ProviderError(`${providerId} blocked the prompt (${blocked}).`, {
          provider: providerId,
          kind: "bad_request",
        });
      }
      continue;
    }
    for (const part of candidate.content?.parts ?? []) {
      if (part.functionCall) {
        const id = part.functionCall.id || `${prefix}_${calls}`;
        calls++;
        if (part.thoughtSignature)
          yield { type: "thinking-delta", text: "", signature: part.thoughtSignature };
        yield { type: "tool-call-start", id, name: part.functionCall.name ?? "" };
        yield { type: "tool-call-delta", id, argumentsDelta: JSON.stringify(part.functionCall.args ?? {}) };
        yield { type: "tool-call-end", id };
      } else if (typeof part.text === "string") {
        if (part.thought) {
          yield {
            type: "thinking-delta",
            text: part.text,
            ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}),
          };
        } else {
          if (part.thoughtSignature)
            yield { type: "thinking-delta", text: "", signature: part.thoughtSignature };
          if (part.text) yield { type: "text-delta", text: part.text };
        }
      }
    }
    if (candidate.finishReason) finish = candidate.finishReason;
  }
  if (finish === undefined) {
    throw new ProviderError(
      `${providerId}: the response stream ended without a finish reason (connection lost).`,
      {
        provider: providerId,
        kind: "network",
      },
    );
  }
  yield {
    type: "usage",
    usage: {
      promptTokens: usage?.promptTokenCount ?? 0,
      completionTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
      cacheReadTokens: usage?.cachedContentTokenCount ?? 0,
      cacheWriteTokens: 0,
    },
  };
  yield { type: "finish", reason: finishReason(finish, calls > 0) };
}
