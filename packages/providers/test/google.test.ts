import { collectStream, ProviderError, textMessage } from "@codetether/core";
import { type FakeGeminiServer, startFakeGeminiServer } from "@codetether/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGoogleProvider } from "../src/google/google-provider.js";
import {
  abortAtFirstTextDelta,
  drainStream,
  expectCutMidStream,
  rejectionOf,
  readToolDefinitions as tools,
} from "./vendor-helpers.js";

describe("google provider (real @google/genai → local Gemini SSE fake)", () => {
  let server: FakeGeminiServer;
  beforeEach(async () => {
    server = await startFakeGeminiServer({ apiKey: "AIza-test-secret" });
  });
  afterEach(async () => {
    await server.close();
  });
  const provider = (apiKey = "AIza-test-secret") =>
    createGoogleProvider({ apiKey, baseUrl: server.url, env: {} });

  it("streams text over streamGenerateContent?alt=sse with usage", async () => {
    server.enqueue({
      text: "Hello from Gemini!",
      usage: { prompt: 12, candidates: 5, cached: 4, thoughts: 3 },
    });
    const { chunks, error } = await drainStream(
      provider().stream({
        model: "gemini-2.5-pro",
        messages: [textMessage("system", "Be brief."), textMessage("user", "hi")],
        maxTokens: 100,
      }),
    );
    expect(error).toBeUndefined();
    const texts = chunks.filter((c) => c.type === "text-delta");
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.map((c) => c.text).join("")).toBe("Hello from Gemini!");
    expect(chunks.at(-2)).toEqual({
      type: "usage",
      usage: { promptTokens: 12, completionTokens: 8, cacheReadTokens: 4, cacheWriteTokens: 0 },
    });
    expect(chunks.at(-1)).toEqual({ type: "finish", reason: "stop" });
    const req = server.requests[0]!;
    expect(req.path).toBe("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
    expect(req.query.alt).toBe("sse");
    expect(req.headers["x-goog-api-key"]).toBe("AIza-test-secret");
    expect(req.body.systemInstruction).toMatchObject({ parts: [{ text: "Be brief." }] });
    expect(req.body.contents).toEqual([{ role: "user", parts: [{ text: "hi" }] }]);
    expect(req.body.generationConfig).toMatchObject({ maxOutputTokens: 100 });
  });

  it("streams one function call and declares the tools with JSON Schema", async () => {
    server.enqueue({ functionCalls: [{ name: "read", args: { path: "src/a.ts" } }] });
    const res = await collectStream(
      provider().stream({ model: "m", messages: [textMessage("user", "x")], tools }),
    );
    expect(res.finishReason).toBe("tool_calls");
    const call = res.message.content[0]!;
    expect(call).toMatchObject({ type: "tool_call", name: "read", arguments: '{"path":"src/a.ts"}' });
    expect(server.requests[0]!.body.tools).toEqual([
      {
        functionDeclarations: [
          { name: "read", description: "Read a file", parametersJsonSchema: tools[0]!.parameters },
        ],
      },
    ]);
    expect(server.requests[0]!.body.toolConfig).toEqual({ functionCallingConfig: { mode: "AUTO" } });
  });

  it("streams parallel function calls with distinct ids", async () => {
    server.enqueue({
      text: "Both.",
      functionCalls: [
        { name: "read", args: { path: "a" } },
        { name: "read", args: { path: "b" } },
      ],
    });
    const res = await collectStream(
      provider().stream({ model: "m", messages: [textMessage("user", "x")], tools }),
    );
    const calls = res.message.content.filter((p) => p.type === "tool_call");
    expect(calls).toHaveLength(2);
    const ids = calls.map((c) => (c.type === "tool_call" ? c.id : ""));
    expect(new Set(ids).size).toBe(2);
    expect(calls.map((c) => (c.type === "tool_call" ? JSON.parse(c.arguments) : null))).toEqual([
      { path: "a" },
      { path: "b" },
    ]);
  });

  it("round-trips functionCall / functionResponse and the thought signature", async () => {
    server.enqueue({
      functionCalls: [{ id: "fc-1", name: "read", args: { path: "x" }, thoughtSignature: "c2ln" }],
    });
    server.enqueue({ text: "It says hi." });
    const p = provider();
    const first = await collectStream(p.stream({ model: "m", messages: [textMessage("user", "go")], tools }));
    expect(first.message.content[0]).toEqual({ type: "thinking", text: "", signature: "c2ln" });
    const second = await collectStream(
      p.stream({
        model: "m",
        tools,
        messages: [
          textMessage("user", "go"),
          first.message,
          {
            role: "tool",
            content: [{ type: "tool_result", tool_call_id: "fc-1", content: "hi", is_error: false }],
          },
        ],
      }),
    );
    expect(second.message.content).toEqual([{ type: "text", text: "It says hi." }]);
    expect(server.requests[1]!.body.contents).toEqual([
      { role: "user", parts: [{ text: "go" }] },
      {
        role: "model",
        parts: [
          { functionCall: { id: "fc-1", name: "read", args: { path: "x" } }, thoughtSignature: "c2ln" },
        ],
      },
      {
        role: "user",
        parts: [{ functionResponse: { id: "fc-1", name: "read", response: { output: "hi" } } }],
      },
    ]);
  });

  it("maps Gemini's invalid-key answer to a clear auth error without leaking the key", async () => {
    const err = await rejectionOf(
      collectStream(provider("AIza-wrong-123").stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err!.kind).toBe("auth");
    expect(err!.message).toMatch(/^invalid API key for google/);
    expect(err!.message).toContain("GEMINI_API_KEY");
    expect(err!.message).not.toContain("AIza-wrong-123");
  });

  it("maps a 401 to auth", async () => {
    server.enqueue({
      kind: "error",
      status: 401,
      message: "Request had invalid authentication credentials.",
    });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("auth");
    expect(err!.message).toMatch(/^invalid API key for google \(HTTP 401/);
  });

  it("fails fast when no key is configured, naming the env vars", async () => {
    const p = createGoogleProvider({ baseUrl: server.url, env: {} });
    await expect(
      collectStream(p.stream({ model: "m", messages: [textMessage("user", "x")] })),
    ).rejects.toThrow(/GEMINI_API_KEY \(or GOOGLE_API_KEY\)/);
    expect(server.requests).toHaveLength(0);
  });

  it("maps 429 + Retry-After to rate_limit, once (no SDK retries)", async () => {
    server.enqueue({ kind: "error", status: 429, retryAfter: "9", message: "Resource has been exhausted" });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("rate_limit");
    expect(err!.retryAfterMs).toBe(9000);
    expect(server.requests).toHaveLength(1);
  });

  it("reads the retry delay from RetryInfo when there is no Retry-After header", async () => {
    server.enqueue({ kind: "error", status: 429, retryDelay: "3s" });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.retryAfterMs).toBe(3000);
  });

  it("maps 503 to a retryable server error", async () => {
    server.enqueue({ kind: "error", status: 503, message: "The model is overloaded." });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("server");
    expect(err!.retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("turns a mid-stream disconnect into a network error", async () => {
    server.enqueue({ text: "this text will be cut off", disconnectAfterEvents: 2 });
    await expectCutMidStream(provider());
  });

  it("honours an AbortSignal", async () => {
    server.enqueue({ text: "y".repeat(100), chunkSize: 1 });
    expect(((await abortAtFirstTextDelta(provider())) as Error | undefined)?.name).toMatch(/Abort/);
  });

  it("takes GOOGLE_API_KEY from the environment and uses the default model", async () => {
    server.enqueue({ text: "ok" });
    const p = createGoogleProvider({ baseUrl: server.url, env: { GOOGLE_API_KEY: "AIza-test-secret" } });
    expect(p.defaultModel).toBe("gemini-2.5-pro");
    await collectStream(p.stream({ model: "", messages: [textMessage("user", "x")] }));
    expect(server.requests[0]!.path).toContain("/models/gemini-2.5-pro:");
  });

  it("redacts the key when an error body echoes it", async () => {
    server.enqueue({
      kind: "error",
      status: 400,
      message: "key AIza-test-secret is not allowed for this model",
    });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("bad_request");
    expect(err!.message).not.toContain("AIza-test-secret");
    expect(err!.message).toContain("[REDACTED]");
  });

  it("streams thought summaries as thinking and enables them with providerOptions.thinkingBudgetTokens", async () => {
    server.enqueue({ thought: "Pondering.", text: "Answer." });
    const res = await collectStream(
      provider().stream({
        model: "m",
        messages: [textMessage("user", "x")],
        providerOptions: { thinkingBudgetTokens: 512 },
      }),
    );
    expect(res.message.content).toEqual([
      { type: "thinking", text: "Pondering." },
      { type: "text", text: "Answer." },
    ]);
    expect(server.requests[0]!.body.generationConfig).toMatchObject({
      thinkingConfig: { thinkingBudget: 512, includeThoughts: true },
    });
  });
});
