import type { ChatRequest } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { toAnthropicParams } from "../src/anthropic/anthropic-messages.js";
import { toConverseInput } from "../src/bedrock/bedrock-messages.js";
import { toGeminiContents } from "../src/google/google-contents.js";
import { toOpenAIMessages } from "../src/openai/openai-messages.js";

const PNG = "iVBORw0KGgo=";
const request: ChatRequest = {
  model: "m",
  messages: [
    { role: "user", content: [{ type: "text", text: "look" }] },
    { role: "assistant", content: [{ type: "tool_call", id: "c1", name: "shot", arguments: "{}" }] },
    {
      role: "tool",
      content: [
        {
          type: "tool_result",
          tool_call_id: "c1",
          content: "captured [image: image/png, 8 bytes] [audio: audio/wav, 12 bytes]",
          is_error: false,
          media: [
            { mimeType: "image/png", data: PNG },
            { mimeType: "audio/wav", data: "UklGRg==" },
          ],
        },
      ],
    },
  ],
};

describe("tool-result media in each vendor's wire format", () => {
  it("OpenAI: text tool message, then the images in a user message", () => {
    const out = toOpenAIMessages(request.messages);
    expect(out.slice(2)).toEqual([
      { role: "tool", tool_call_id: "c1", content: expect.stringContaining("captured") },
      {
        role: "user",
        content: [
          { type: "text", text: "Images returned by the tool calls above:" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
    ]);
  });

  it("Anthropic: image blocks inside the tool_result; audio stays text", () => {
    const params = toAnthropicParams(request, { defaultMaxTokens: 100 });
    const result = (
      (params.messages.at(-1)?.content ?? []) as unknown as Array<Record<string, unknown>>
    ).find((b) => b.type === "tool_result");
    expect(result?.content).toEqual([
      { type: "text", text: expect.stringContaining("[audio: audio/wav") },
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
    ]);
  });

  it("Bedrock: an image block inside toolResult", () => {
    const input = toConverseInput(request, { modelId: "m" });
    const toolResult = input.messages?.at(-1)?.content?.find((b) => "toolResult" in b && b.toolResult);
    const content = (toolResult as unknown as { toolResult: { content: Array<Record<string, unknown>> } })
      .toolResult.content;
    expect(content).toHaveLength(2);
    expect(content[1]).toEqual({ image: { format: "png", source: { bytes: Buffer.from(PNG, "base64") } } });
  });

  it("Gemini: image and audio inline after the functionResponse", () => {
    const { contents } = toGeminiContents(request);
    const parts = contents.at(-1)?.parts ?? [];
    expect(parts.map((p) => Object.keys(p).filter((k) => p[k as keyof typeof p] !== undefined)[0])).toEqual([
      "functionResponse",
      "inlineData",
      "inlineData",
    ]);
    expect(parts[1]?.inlineData).toEqual({ mimeType: "image/png", data: PNG });
  });
});
