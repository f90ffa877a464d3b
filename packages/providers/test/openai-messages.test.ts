import { describe, expect, it } from "vitest";
import { alnum9ToolCallId, toOpenAIMessages, toOpenAIParams } from "../src/openai/openai-messages.js";

describe("toOpenAIMessages", () => {
  it("maps images, files, tool results in user messages and empty tool output", () => {
    const out = toOpenAIMessages([
      {
        role: "user",
        content: [
          { type: "tool_result", tool_call_id: "c1", content: "", is_error: false },
          { type: "text", text: "look" },
          { type: "image", mimeType: "image/png", data: "AAAA" },
          { type: "image", mimeType: "image/jpeg", url: "https://example.com/a.jpg" },
          { type: "file", path: "notes.md", data: "# hi" },
        ],
      },
    ]);
    expect(out).toEqual([
      { role: "tool", tool_call_id: "c1", content: "(no output)" },
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          { type: "image_url", image_url: { url: "https://example.com/a.jpg" } },
          { type: "text", text: '<file path="notes.md">\n# hi\n</file>' },
        ],
      },
    ]);
  });

  it("sends empty tool-call arguments as {} and omits reasoning unless the vendor round-trips it", () => {
    const assistant = {
      role: "assistant" as const,
      content: [
        { type: "thinking" as const, text: "why" },
        { type: "text" as const, text: "ok" },
        { type: "tool_call" as const, id: "c", name: "ls", arguments: "" },
      ],
    };
    expect(toOpenAIMessages([assistant])).toEqual([
      {
        role: "assistant",
        content: "ok",
        tool_calls: [{ id: "c", type: "function", function: { name: "ls", arguments: "{}" } }],
      },
    ]);
    expect(toOpenAIMessages([assistant], { roundTripReasoning: true })[0]).toMatchObject({
      reasoning_content: "why",
    });
    const noThinking = {
      role: "assistant" as const,
      content: [{ type: "tool_call" as const, id: "c", name: "ls", arguments: "{}" }],
    };
    expect(toOpenAIMessages([noThinking], { roundTripReasoning: true })[0]).toMatchObject({
      reasoning_content: "",
    });
  });

  it("omits tools and tool_choice when there are no tools", () => {
    const params = toOpenAIParams({ model: "m", messages: [], toolChoice: "required" });
    expect(params).toEqual({
      model: "m",
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("rewrites foreign tool-call ids consistently for vendors that only accept 9 alphanumerics (Mistral)", () => {
    const messages = [
      {
        role: "assistant" as const,
        content: [{ type: "tool_call" as const, id: "call_abc-123_xyz", name: "ls", arguments: "{}" }],
      },
      {
        role: "tool" as const,
        content: [
          { type: "tool_result" as const, tool_call_id: "call_abc-123_xyz", content: "x", is_error: false },
        ],
      },
    ];
    const [assistant, tool] = toOpenAIMessages(messages, { toolCallIds: "alnum9" }) as unknown as [
      { tool_calls: Array<{ id: string }> },
      { tool_call_id: string },
    ];
    const id = assistant.tool_calls[0]?.id ?? "";
    expect(id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(tool.tool_call_id).toBe(id);
    expect(alnum9ToolCallId("call_abc-123_xyz")).toBe(id);
    expect(alnum9ToolCallId("call_abc-123_xyw")).not.toBe(id);
    expect(alnum9ToolCallId("Ab3dE6gH9")).toBe("Ab3dE6gH9");
    expect(toOpenAIMessages(messages)[1]).toMatchObject({ tool_call_id: "call_abc-123_xyz" });
  });
});
