import {
  type ChatRequest,
  collectStream,
  ProviderError,
  type StreamChunk,
  textMessage,
} from "@codetether/core";
import { type ScriptedOpenAI, type ScriptedTurn, startScriptedOpenAI } from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  createOpenAICompatibleProvider,
  type OpenAICompatibleOptions,
} from "../src/openai/openai-compatible.js";

let server: ScriptedOpenAI | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEY = "sk-secret-test-key-123456";

async function setup(script: ScriptedTurn[], options: Partial<OpenAICompatibleOptions> = {}) {
  server = await startScriptedOpenAI(script, { apiKey: KEY });
  return createOpenAICompatibleProvider({
    id: "openai",
    baseURL: server.url,
    apiKey: KEY,
    keyHint: "set OPENAI_API_KEY or providers.openai.api_key in config.toml",
    ...options,
  });
}

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "gpt-4o",
  messages: [textMessage("system", "be brief"), textMessage("user", "hi")],
  ...extra,
});

async function chunksOf(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const out: StreamChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

describe("OpenAI-compatible provider against the scripted server", () => {
  it("streams text deltas, usage with cached tokens and the finish reason", async () => {
    const provider = await setup([
      { text: "Hello there world", usage: { prompt_tokens: 20, completion_tokens: 3, cached_tokens: 8 } },
    ]);
    const chunks = await chunksOf(provider.stream(request()));
    const texts = chunks.filter((c) => c.type === "text-delta");
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.map((c) => c.text).join("")).toBe("Hello there world");
    expect(chunks).toContainEqual({
      type: "usage",
      usage: { promptTokens: 20, completionTokens: 3, cacheReadTokens: 8, cacheWriteTokens: 0 },
    });
    expect(chunks.at(-1)).toEqual({ type: "finish", reason: "stop" });
    const body = server?.requests[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: "gpt-4o",
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
      ],
    });
  });

  it("streams one tool call as start → argument deltas → end, and sends tools as JSON Schema", async () => {
    const provider = await setup([
      { toolCalls: [{ id: "call_1", name: "read", arguments: { path: "src/a.ts" } }] },
    ]);
    const tools = [
      {
        name: "read",
        description: "Read a file",
        parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      },
    ];
    const chunks = await chunksOf(provider.stream(request({ tools, toolChoice: "auto", maxTokens: 100 })));
    const kinds = chunks.map((c) => c.type);
    expect(kinds[0]).toBe("tool-call-start");
    expect(kinds.filter((k) => k === "tool-call-delta").length).toBeGreaterThan(1);
    expect(kinds.indexOf("tool-call-end")).toBeGreaterThan(kinds.lastIndexOf("tool-call-delta"));
    expect(server?.requests).toHaveLength(1);
    const result = await collectStream(
      (async function* () {
        yield* chunks;
      })(),
    );
    expect(result.message.content).toEqual([
      { type: "tool_call", id: "call_1", name: "read", arguments: '{"path":"src/a.ts"}' },
    ]);
    expect(result.finishReason).toBe("tool_calls");
    expect(server?.requests[0]?.body).toMatchObject({
      tools: [{ type: "function", function: tools[0] }],
      tool_choice: "auto",
      max_tokens: 100,
    });
  });

  it("keeps parallel tool calls apart by id even when their fragments interleave", async () => {
    const provider = await setup([
      {
        text: "Reading both.",
        interleaveToolCalls: true,
        toolCalls: [
          { id: "call_a", name: "read", arguments: { path: "a.txt", limit: 10 } },
          { id: "call_b", name: "grep", arguments: { pattern: 'x"y\\z', path: "." } },
        ],
      },
    ]);
    const result = await collectStream(provider.stream(request()));
    expect(result.message.content).toEqual([
      { type: "text", text: "Reading both." },
      { type: "tool_call", id: "call_a", name: "read", arguments: '{"path":"a.txt","limit":10}' },
      {
        type: "tool_call",
        id: "call_b",
        name: "grep",
        arguments: JSON.stringify({ pattern: 'x"y\\z', path: "." }),
      },
    ]);
  });

  it("round-trips tool results as tool messages after the assistant's tool calls", async () => {
    const provider = await setup([{ text: "done" }]);
    await collectStream(
      provider.stream(
        request({
          messages: [
            textMessage("user", "read a"),
            {
              role: "assistant",
              content: [
                { type: "thinking", text: "hmm" },
                { type: "tool_call", id: "call_1", name: "read", arguments: '{"path":"a"}' },
              ],
            },
            {
              role: "tool",
              content: [{ type: "tool_result", tool_call_id: "call_1", content: "A!", is_error: false }],
            },
          ],
        }),
      ),
    );
    const body = server?.requests[0]?.body as { messages: unknown[] };
    expect(body.messages).toEqual([
      { role: "user", content: "read a" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "read", arguments: '{"path":"a"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "A!" },
    ]);
  });

  it("maps 401 to a clear auth error that never contains the key", async () => {
    server = await startScriptedOpenAI([{ text: "never" }], { apiKey: KEY });
    const provider = createOpenAICompatibleProvider({
      id: "moonshotai",
      baseURL: server.url,
      apiKey: "sk-wrong-key-abcdef",
      keyHint: "set MOONSHOT_API_KEY or providers.moonshotai.api_key in config.toml",
    });
    const err = await collectStream(provider.stream(request())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "auth", status: 401, provider: "moonshotai", retryable: false });
    expect((err as Error).message).toMatch(/^invalid API key for moonshotai/);
    expect((err as Error).message).toContain("MOONSHOT_API_KEY");
    expect((err as Error).message).not.toContain("sk-wrong-key-abcdef");
  });

  it("scrubs the key even when the server echoes it back", async () => {
    const provider = await setup([
      { type: "error", status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}` } } },
    ]);
    const err = (await collectStream(provider.stream(request())).catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain(KEY);
    expect(err.message).toContain("[redacted]");
  });

  it("fails fast with setup instructions when no key is configured", async () => {
    const provider = createOpenAICompatibleProvider({
      id: "groq",
      baseURL: "http://127.0.0.1:9/v1",
      keyHint: "set GROQ_API_KEY",
    });
    await expect(collectStream(provider.stream(request()))).rejects.toMatchObject({
      kind: "auth",
      message: "No API key for groq: set GROQ_API_KEY.",
    });
  });

  it("maps 429 with Retry-After to a retryable rate_limit error with retryAfterMs", async () => {
    const provider = await setup([{ type: "error", status: 429, headers: { "retry-after": "3" } }]);
    const err = await collectStream(provider.stream(request())).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "rate_limit", status: 429, retryAfterMs: 3000, retryable: true });
  });

  it("maps 5xx to a retryable server error", async () => {
    const provider = await setup([{ type: "error", status: 503 }]);
    await expect(collectStream(provider.stream(request()))).rejects.toMatchObject({
      kind: "server",
      status: 503,
    });
  });

  it("maps a mid-stream disconnect to a network error after the partial text", async () => {
    const provider = await setup([
      { type: "disconnect", response: { text: "one two three four five" }, afterEvents: 3 },
    ]);
    const seen: StreamChunk[] = [];
    const err = await (async () => {
      for await (const c of provider.stream(request())) seen.push(c);
    })().catch((e: unknown) => e);
    expect(seen.filter((c) => c.type === "text-delta").length).toBe(2);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "network", retryable: true });
  });

  it("maps a refused connection to a network error", async () => {
    const provider = createOpenAICompatibleProvider({
      id: "openai",
      baseURL: "http://127.0.0.1:9/v1",
      apiKey: KEY,
    });
    await expect(collectStream(provider.stream(request()))).rejects.toMatchObject({ kind: "network" });
  });

  it("stops promptly and rethrows the abort when the signal fires mid-stream", async () => {
    const provider = await setup([{ text: "a b c d e f g h i j k l m n o p", delayMs: 200 }]);
    const controller = new AbortController();
    const seen: StreamChunk[] = [];
    const err = await (async () => {
      for await (const c of provider.stream(request(), controller.signal)) {
        seen.push(c);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(err).not.toBeInstanceOf(ProviderError);
    expect((err as Error).name).toBe("AbortError");
  });

  it("uses max_completion_tokens, extra body and provider options when configured", async () => {
    const provider = await setup([{ text: "ok" }], {
      maxTokensField: "max_completion_tokens",
      extraBody: { thinking: { type: "enabled" } },
      headers: { "X-Title": "CodeTether" },
    });
    await collectStream(
      provider.stream(request({ maxTokens: 50, temperature: 0.2, providerOptions: { top_p: 0.9 } })),
    );
    expect(server?.requests[0]?.body).toMatchObject({
      max_completion_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      thinking: { type: "enabled" },
    });
    expect(server?.requests[0]?.headers["x-title"]).toBe("CodeTether");
  });

  it("aborts a request the server never answers", async () => {
    const provider = await setup([{ type: "hang" }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await collectStream(provider.stream(request(), controller.signal)).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ProviderError);
    expect((err as Error).name).toBe("AbortError");
    expect(server?.requests).toHaveLength(1);
  });

  it("rethrows the caller's abort reason when the signal carries one", async () => {
    const provider = await setup([{ text: "never read" }]);
    const controller = new AbortController();
    const reason = new Error("user pressed Ctrl+C");
    controller.abort(reason);
    await expect(collectStream(provider.stream(request(), controller.signal))).rejects.toBe(reason);
    expect(server?.requests).toHaveLength(0);
  });
});
