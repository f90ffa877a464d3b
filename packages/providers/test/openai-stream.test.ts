import { collectStream, ProviderError, type StreamChunk } from "@codetether/core";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { mapOpenAIStream } from "../src/openai/openai-stream.js";

type Delta = Record<string, unknown>;
const chunk = (delta: Delta, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  ({
    id: "c",
    object: "chat.completion.chunk",
    created: 0,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    ...extra,
  }) as unknown as ChatCompletionChunk;

async function* from(chunks: ChatCompletionChunk[]) {
  yield* chunks;
}
const run = (chunks: ChatCompletionChunk[]) => collectStream(mapOpenAIStream(from(chunks), "v"));

describe("mapOpenAIStream (vendor variations)", () => {
  it("accepts a whole tool call in one chunk and arguments sent before the name", async () => {
    const out = await run([
      chunk({
        tool_calls: [
          { index: 0, id: "a", type: "function", function: { name: "read", arguments: '{"p":1}' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 1, id: "b", function: { arguments: '{"q"' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { name: "grep", arguments: ":2}" } }] }),
      chunk({}, "tool_calls"),
    ]);
    expect(out.message.content).toEqual([
      { type: "tool_call", id: "a", name: "read", arguments: '{"p":1}' },
      { type: "tool_call", id: "b", name: "grep", arguments: '{"q":2}' },
    ]);
  });

  it("maps finish reasons and ends open calls on finish", async () => {
    const chunks: StreamChunk[] = [];
    for await (const c of mapOpenAIStream(
      from([
        chunk({ tool_calls: [{ index: 0, id: "x", function: { name: "t", arguments: "{" } }] }),
        chunk({}, "length"),
      ]),
      "v",
    )) {
      chunks.push(c);
    }
    expect(chunks.map((c) => c.type)).toEqual([
      "tool-call-start",
      "tool-call-delta",
      "tool-call-end",
      "finish",
    ]);
    expect(chunks.at(-1)).toEqual({ type: "finish", reason: "length" });
    expect((await run([chunk({ content: "x" }, "content_filter")])).finishReason).toBe("content_filter");
    expect((await run([chunk({ content: "x" }, "eos")])).finishReason).toBe("other");
  });

  it("reads usage from Groq's x_groq, Moonshot's top-level cached_tokens and DeepSeek's cache hits", async () => {
    const groq = await run([
      chunk({ content: "a" }, "stop", { x_groq: { usage: { prompt_tokens: 5, completion_tokens: 1 } } }),
    ]);
    expect(groq.usage).toMatchObject({ promptTokens: 5, completionTokens: 1 });
    const moonshot = await run([
      chunk({ content: "a" }, "stop", {
        usage: { prompt_tokens: 9, completion_tokens: 2, cached_tokens: 4 },
      }),
    ]);
    expect(moonshot.usage.cacheReadTokens).toBe(4);
    const deepseek = await run([
      chunk({ content: "a" }, "stop", {
        usage: { prompt_tokens: 9, completion_tokens: 2, prompt_cache_hit_tokens: 7 },
      }),
    ]);
    expect(deepseek.usage.cacheReadTokens).toBe(7);
  });

  it("streams OpenRouter's `reasoning` field as thinking", async () => {
    const out = await run([chunk({ reasoning: "hmm" }), chunk({ content: "ok" }, "stop")]);
    expect(out.message.content).toEqual([
      { type: "thinking", text: "hmm" },
      { type: "text", text: "ok" },
    ]);
  });

  it("treats a stream that ends without a finish reason as a dropped connection", async () => {
    const err = await run([chunk({ content: "partial" })]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "network", provider: "v" });
  });
});
