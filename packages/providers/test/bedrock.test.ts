import { collectStream, ProviderError, textMessage } from "@codetether/core";
import { type FakeBedrockServer, startFakeBedrockServer } from "@codetether/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveBedrockModelId } from "../src/bedrock/bedrock-models.js";
import { createBedrockProvider } from "../src/bedrock/bedrock-provider.js";
import {
  abortAtFirstTextDelta,
  drainStream,
  expectCutMidStream,
  rejectionOf,
  readToolDefinitions as tools,
} from "./vendor-helpers.js";

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "very-secret-access-key" };

describe("bedrock provider (real @aws-sdk/client-bedrock-runtime → local ConverseStream event-stream fake)", () => {
  let server: FakeBedrockServer;
  beforeEach(async () => {
    server = await startFakeBedrockServer({ accessKeyId: "AKIDTEST" });
  });
  afterEach(async () => {
    await server.close();
  });
  const provider = (creds = credentials) =>
    createBedrockProvider({ region: "us-east-1", endpoint: server.url, credentials: creds, env: {} });

  it("streams text over the binary event stream, resolving the alias to an inference profile", async () => {
    server.enqueue({
      text: "Hello from Bedrock!",
      usage: { input: 11, output: 6, cacheRead: 50, cacheWrite: 5 },
    });
    const { chunks, error } = await drainStream(
      provider().stream({
        model: "claude-sonnet-4",
        messages: [textMessage("system", "Be brief."), textMessage("user", "hi")],
        maxTokens: 64,
      }),
    );
    expect(error).toBeUndefined();
    const texts = chunks.filter((c) => c.type === "text-delta");
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.map((c) => c.text).join("")).toBe("Hello from Bedrock!");
    expect(chunks.at(-2)).toEqual({
      type: "usage",
      usage: { promptTokens: 66, completionTokens: 6, cacheReadTokens: 50, cacheWriteTokens: 5 },
    });
    expect(chunks.at(-1)).toEqual({ type: "finish", reason: "stop" });
    const req = server.requests[0]!;
    expect(req.modelId).toBe("us.anthropic.claude-sonnet-4-20250514-v1:0");
    expect(req.path).toMatch(/\/converse-stream$/);
    expect(String(req.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\//,
    );
    expect(req.body.system).toEqual([{ text: "Be brief." }]);
    expect(req.body.messages).toEqual([{ role: "user", content: [{ text: "hi" }] }]);
    expect(req.body.inferenceConfig).toEqual({ maxTokens: 64 });
  });

  it("streams one tool use with input deltas and sends toolConfig", async () => {
    server.enqueue({
      text: "Reading.",
      toolUses: [{ toolUseId: "tu-1", name: "read", input: { path: "src/a.ts" } }],
    });
    const res = await collectStream(
      provider().stream({ model: "claude-sonnet-4", messages: [textMessage("user", "x")], tools }),
    );
    expect(res.finishReason).toBe("tool_calls");
    expect(res.message.content).toEqual([
      { type: "text", text: "Reading." },
      { type: "tool_call", id: "tu-1", name: "read", arguments: '{"path":"src/a.ts"}' },
    ]);
    expect(server.requests[0]!.body.toolConfig).toEqual({
      tools: [
        {
          toolSpec: { name: "read", description: "Read a file", inputSchema: { json: tools[0]!.parameters } },
        },
      ],
      toolChoice: { auto: {} },
    });
  });

  it("streams parallel tool uses", async () => {
    server.enqueue({
      toolUses: [
        { toolUseId: "tu-a", name: "read", input: { path: "a" } },
        { toolUseId: "tu-b", name: "read", input: { path: "b" } },
      ],
    });
    const res = await collectStream(
      provider().stream({ model: "m", messages: [textMessage("user", "x")], tools }),
    );
    expect(
      res.message.content.map((p) => (p.type === "tool_call" ? [p.id, JSON.parse(p.arguments)] : p.type)),
    ).toEqual([
      ["tu-a", { path: "a" }],
      ["tu-b", { path: "b" }],
    ]);
  });

  it("round-trips reasoning with signature, toolUse and toolResult", async () => {
    server.enqueue({
      reasoning: { text: "Need the file.", signature: "sig-br" },
      toolUses: [{ toolUseId: "tu-9", name: "read", input: { path: "x" } }],
    });
    server.enqueue({ text: "Done." });
    const p = provider();
    const first = await collectStream(p.stream({ model: "m", messages: [textMessage("user", "go")], tools }));
    expect(first.message.content[0]).toEqual({
      type: "thinking",
      text: "Need the file.",
      signature: "sig-br",
    });
    await collectStream(
      p.stream({
        model: "m",
        tools,
        messages: [
          textMessage("user", "go"),
          first.message,
          {
            role: "tool",
            content: [{ type: "tool_result", tool_call_id: "tu-9", content: "hi", is_error: true }],
          },
        ],
      }),
    );
    expect(server.requests[1]!.body.messages).toEqual([
      { role: "user", content: [{ text: "go" }] },
      {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "Need the file.", signature: "sig-br" } } },
          { toolUse: { toolUseId: "tu-9", name: "read", input: { path: "x" } } },
        ],
      },
      {
        role: "user",
        content: [{ toolResult: { toolUseId: "tu-9", content: [{ text: "hi" }], status: "error" } }],
      },
    ]);
  });

  it("maps rejected credentials to a clear auth error without leaking the secret", async () => {
    const err = await rejectionOf(
      collectStream(
        provider({ accessKeyId: "AKIDWRONG", secretAccessKey: "very-secret-access-key" }).stream({
          model: "m",
          messages: [textMessage("user", "x")],
        }),
      ),
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err!.kind).toBe("auth");
    expect(err!.message).toMatch(/^invalid API key for bedrock \(HTTP 403: UnrecognizedClientException/);
    expect(err!.message).toContain("AWS_ACCESS_KEY_ID");
    expect(err!.message).not.toContain("very-secret-access-key");
  });

  it("maps a 401 to auth", async () => {
    server.enqueue({ kind: "error", status: 401 });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("auth");
    expect(err!.message).toMatch(/^invalid API key for bedrock/);
  });

  it("maps 429 ThrottlingException + Retry-After to rate_limit with one attempt", async () => {
    server.enqueue({ kind: "error", status: 429, message: "Too many requests", retryAfter: "4" });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("rate_limit");
    expect(err!.retryAfterMs).toBe(4000);
    expect(server.requests).toHaveLength(1);
  });

  it("maps 5xx to a retryable server error", async () => {
    server.enqueue({ kind: "error", status: 500, message: "boom" });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("server");
    expect(err!.retryable).toBe(true);
  });

  it("maps an in-stream throttlingException to rate_limit", async () => {
    server.enqueue({
      text: "partial",
      streamException: { type: "throttlingException", message: "slow down" },
    });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("rate_limit");
    expect(err!.message).toContain("slow down");
  });

  it("turns a mid-stream disconnect into a network error", async () => {
    server.enqueue({ text: "this will be cut", disconnectAfterEvents: 3 });
    await expectCutMidStream(provider());
  });

  it("honours an AbortSignal", async () => {
    server.enqueue({ text: "z".repeat(100), chunkSize: 1 });
    expect(((await abortAtFirstTextDelta(provider())) as Error | undefined)?.name).toMatch(/Abort/);
  });

  it("takes credentials from the standard AWS chain (environment) when none are given", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = "AKIDTEST";
    process.env.AWS_SECRET_ACCESS_KEY = "env-secret";
    try {
      server.enqueue({ text: "ok" });
      const p = createBedrockProvider({ region: "eu-west-1", endpoint: server.url, env: {} });
      const res = await collectStream(
        p.stream({ model: "claude-sonnet-4", messages: [textMessage("user", "x")] }),
      );
      expect(res.message.content).toEqual([{ type: "text", text: "ok" }]);
      expect(server.requests[0]!.modelId).toBe("eu.anthropic.claude-sonnet-4-20250514-v1:0");
      expect(String(server.requests[0]!.headers.authorization)).toContain("Credential=AKIDTEST/");
    } finally {
      for (const [k, v] of [
        ["AWS_ACCESS_KEY_ID", saved.id],
        ["AWS_SECRET_ACCESS_KEY", saved.secret],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("resolves aliases per region and passes full ids through", () => {
    expect(resolveBedrockModelId("claude-sonnet-4", "us-west-2")).toBe(
      "us.anthropic.claude-sonnet-4-20250514-v1:0",
    );
    expect(resolveBedrockModelId("claude-sonnet-4", "eu-central-1")).toBe(
      "eu.anthropic.claude-sonnet-4-20250514-v1:0",
    );
    expect(resolveBedrockModelId("claude-sonnet-4", "ap-northeast-1")).toBe(
      "apac.anthropic.claude-sonnet-4-20250514-v1:0",
    );
    expect(resolveBedrockModelId("anthropic.claude-v2", "us-east-1")).toBe("anthropic.claude-v2");
    const p = createBedrockProvider({ env: { AWS_REGION: "eu-west-1" } });
    expect(p.region).toBe("eu-west-1");
    expect(p.resolveModelId("")).toBe("eu.anthropic.claude-sonnet-4-20250514-v1:0");
  });

  it("redacts the secret access key when an error body echoes it", async () => {
    server.enqueue({
      kind: "error",
      status: 400,
      message: "signature for very-secret-access-key is malformed",
    });
    const err = await rejectionOf(
      collectStream(provider().stream({ model: "m", messages: [textMessage("user", "x")] })),
    );
    expect(err!.kind).toBe("bad_request");
    expect(err!.message).not.toContain("very-secret-access-key");
  });
});
