import { collectStream, ProviderError, textMessage } from "@codetether/core";
import { type FakeAnthropicServer, startFakeAnthropicServer } from "@codetether/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAnthropicProvider } from "../src/anthropic/anthropic-provider.js";
import {
  abortAtFirstTextDelta,
  drainStream,
  expectCutMidStream,
  readToolDefinitions as tools,
} from "./vendor-helpers.js";

describe("anthropic provider (real SDK → local Messages API fake)", () => {
  let server: FakeAnthropicServer;
  beforeEach(async () => {
    server = await startFakeAnthropicServer({ apiKey: "sk-ant-test-secret" });
  });
  afterEach(async () => {
    await server.close();
  });
  const provider = (apiKey = "sk-ant-test-secret") =>
    createAnthropicProvider({ apiKey, baseUrl: server.url, env: {} });

  it("streams text in several deltas and reports usage with cache tokens", async () => {
    server.enqueue({
      text: "Hello from Claude!",
      usage: { input: 10, output: 7, cacheRead: 100, cacheWrite: 20 },
    });
    const { chunks, error } = await drainStream(
      provider().stream({
        model: "claude-sonnet-4-20250514",
        messages: [textMessage("system", "Be brief."), textMessage("user", "hi")],
      }),
    );
    expect(error).toBeUndefined();
    const texts = chunks.filter((c) => c.type === "text-delta");
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.map((c) => c.text).join("")).toBe("Hello from Claude!");
    expect(chunks.find((c) => c.type === "usage")).toEqual({
      type: "usage",
      usage: { promptTokens: 130, completionTokens: 7, cacheReadTokens: 100, cacheWriteTokens: 20 },
    });
    expect(chunks.at(-1)).toEqual({ type: "finish", reason: "stop" });

    const req = server.requests[0]!;
    expect(req.headers["x-api-key"] ?? req.headers.authorization).toMatch(/sk-ant-test-secret$/);
    expect(req.headers["x-stainless-retry-count"]).toBe("0");
    expect(req.body.stream).toBe(true);
    expect(req.body.system).toEqual([
      { type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } },
    ]);
    expect(req.body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] },
    ]);
  });

  it("streams one tool call with input_json_delta and sends the tool definitions", async () => {
    server.enqueue({
      text: "Reading.",
      toolCalls: [{ id: "toolu_1", name: "read", input: { path: "src/a.ts" } }],
    });
    const res = await collectStream(
      provider().stream({
        model: "claude-sonnet-4-20250514",
        messages: [textMessage("user", "read a")],
        tools,
      }),
    );
    expect(res.finishReason).toBe("tool_calls");
    expect(res.message.content).toEqual([
      { type: "text", text: "Reading." },
      { type: "tool_call", id: "toolu_1", name: "read", arguments: '{"path":"src/a.ts"}' },
    ]);
    expect(server.requests[0]!.body.tools).toEqual([
      { name: "read", description: "Read a file", input_schema: tools[0]!.parameters },
    ]);
    expect(server.requests[0]!.body.tool_choice).toEqual({ type: "auto" });
  });

  it("streams parallel tool calls", async () => {
    server.enqueue({
      toolCalls: [
        { id: "toolu_a", name: "read", input: { path: "a.ts" } },
        { id: "toolu_b", name: "read", input: { path: "b.ts" } },
      ],
    });
    const res = await collectStream(
      provider().stream({ model: "m", messages: [textMessage("user", "read both")], tools }),
    );
    const calls = res.message.content.filter((p) => p.type === "tool_call");
    expect(calls.map((c) => (c.type === "tool_call" ? [c.id, JSON.parse(c.arguments)] : null))).toEqual([
      ["toolu_a", { path: "a.ts" }],
      ["toolu_b", { path: "b.ts" }],
    ]);
  });

  it("round-trips thinking with signature, tool_use and tool_result", async () => {
    server.enqueue({
      thinking: { text: "I should read the file.", signature: "sig-abc" },
      toolCalls: [{ id: "toolu_9", name: "read", input: { path: "x" } }],
    });
    server.enqueue({ text: "The file says hi." });
    const p = provider();
    const first = await collectStream(p.stream({ model: "m", messages: [textMessage("user", "go")], tools }));
    expect(first.message.content[0]).toEqual({
      type: "thinking",
      text: "I should read the file.",
      signature: "sig-abc",
    });
    const second = await collectStream(
      p.stream({
        model: "m",
        tools,
        messages: [
          textMessage("user", "go"),
          first.message,
          {
            role: "tool",
            content: [{ type: "tool_result", tool_call_id: "toolu_9", content: "hi", is_error: false }],
          },
        ],
      }),
    );
    expect(second.message.content).toEqual([{ type: "text", text: "The file says hi." }]);
    const sent = server.requests[1]!.body.messages as { role: string; content: Record<string, unknown>[] }[];
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(sent[1]!.content[0]).toEqual({
      type: "thinking",
      thinking: "I should read the file.",
      signature: "sig-abc",
    });
    expect(sent[1]!.content[1]).toMatchObject({
      type: "tool_use",
      id: "toolu_9",
      name: "read",
      input: { path: "x" },
    });
    expect(sent[2]!.content[0]).toMatchObject({ type: "tool_result", tool_use_id: "toolu_9", content: "hi" });
    // Cache breakpoints on the last two turns.
    expect(sent[1]!.content.at(-1)!.cache_control).toEqual({ type: "ephemeral" });
    expect(sent[2]!.content.at(-1)!.cache_control).toEqual({ type: "ephemeral" });
    expect(sent[0]!.content.at(-1)!.cache_control).toBeUndefined();
  });

  it("maps 401 to a clear auth error without leaking the key", async () => {
    const err = await collectStream(
      provider("sk-ant-wrong-key-123").stream({ model: "m", messages: [textMessage("user", "x")] }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    const pe = err as ProviderError;
    expect(pe.kind).toBe("auth");
    expect(pe.retryable).toBe(false);
    expect(pe.message).toMatch(/^invalid API key for anthropic/);
    expect(pe.message).toContain("ANTHROPIC_API_KEY");
    expect(pe.message).not.toContain("sk-ant-wrong-key-123");
    expect(server.requests).toHaveLength(1);
  });

  it("fails fast with an actionable error when no key is configured", async () => {
    const p = createAnthropicProvider({ baseUrl: server.url, env: {} });
    await expect(
      collectStream(p.stream({ model: "m", messages: [textMessage("user", "x")] })),
    ).rejects.toThrow(/No API key for anthropic: set ANTHROPIC_API_KEY/);
    expect(server.requests).toHaveLength(0);
  });

  it("maps 429 + Retry-After to rate_limit with retryAfterMs and makes no SDK retry", async () => {
    server.enqueue({ kind: "error", status: 429, retryAfter: "7" });
    const err = (await collectStream(
      provider().stream({ model: "m", messages: [textMessage("user", "x")] }),
    ).catch((e: unknown) => e)) as ProviderError;
    expect(err.kind).toBe("rate_limit");
    expect(err.retryAfterMs).toBe(7000);
    expect(err.retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("maps 5xx to a retryable server error", async () => {
    server.enqueue({ kind: "error", status: 529, message: "Overloaded" });
    const err = (await collectStream(
      provider().stream({ model: "m", messages: [textMessage("user", "x")] }),
    ).catch((e: unknown) => e)) as ProviderError;
    expect(err.kind).toBe("server");
    expect(err.message).toContain("Overloaded");
  });

  it("turns a mid-stream disconnect into a network error after the partial text", async () => {
    server.enqueue({ text: "This will be cut off somewhere", disconnectAfterEvents: 5 });
    await expectCutMidStream(provider());
  });

  it("reports a refused connection as a network error", async () => {
    const url = server.url;
    await server.close();
    const p = createAnthropicProvider({ apiKey: "k-1234", baseUrl: url, env: {} });
    const err = (await collectStream(p.stream({ model: "m", messages: [textMessage("user", "x")] })).catch(
      (e: unknown) => e,
    )) as ProviderError;
    expect(err.kind).toBe("network");
    expect(err.message).toContain(url);
    server = await startFakeAnthropicServer();
  });

  it("honours an AbortSignal", async () => {
    server.enqueue({ text: "x".repeat(200), chunkSize: 1 });
    expect(((await abortAtFirstTextDelta(provider())) as Error).name).toMatch(/Abort/);
  });

  it("reads ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL and lists models", async () => {
    server.enqueue({ text: "ok" });
    const p = createAnthropicProvider({
      env: { ANTHROPIC_API_KEY: "sk-ant-test-secret", ANTHROPIC_BASE_URL: server.url },
    });
    expect(p.defaultModel).toBe("claude-sonnet-4-20250514");
    const res = await collectStream(p.stream({ model: "", messages: [textMessage("user", "x")] }));
    expect(res.message.content).toEqual([{ type: "text", text: "ok" }]);
    expect(server.requests[0]!.body.model).toBe("claude-sonnet-4-20250514");
    expect((await p.listModels()).map((m) => m.id)).toContain("claude-sonnet-4-20250514");
  });

  it("maps an in-stream overloaded_error event to a retryable server error", async () => {
    server.enqueue({ text: "partial", streamError: { type: "overloaded_error", message: "Overloaded" } });
    const err = (await collectStream(
      provider().stream({ model: "m", messages: [textMessage("user", "x")] }),
    ).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("server");
    expect(err.retryable).toBe(true);
    expect(err.message).toContain("Overloaded");
  });

  it("redacts the key when an error body echoes it", async () => {
    server.enqueue({ kind: "error", status: 400, message: "bad header x-api-key: sk-ant-test-secret" });
    const err = (await collectStream(
      provider().stream({ model: "m", messages: [textMessage("user", "x")] }),
    ).catch((e: unknown) => e)) as ProviderError;
    expect(err.kind).toBe("bad_request");
    expect(err.message).toContain("[REDACTED]");
    expect(err.message).not.toContain("sk-ant-test-secret");
  });

  it("turns thinking on with providerOptions.thinkingBudgetTokens, except when a tool call is forced", async () => {
    server.enqueue({ text: "a" }, { toolCalls: [{ name: "read", input: { path: "a" } }] });
    const ask = (toolChoice: "auto" | "required") =>
      collectStream(
        provider().stream({
          model: "m",
          messages: [textMessage("user", "x")],
          tools,
          toolChoice,
          providerOptions: { thinkingBudgetTokens: 2048 },
        }),
      );
    await ask("auto");
    await ask("required");
    expect(server.requests[0]!.body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(server.requests[1]!.body.tool_choice).toEqual({ type: "any" });
    // The API rejects thinking together with a forced tool choice.
    expect(server.requests[1]!.body.thinking).toBeUndefined();
  });
});
