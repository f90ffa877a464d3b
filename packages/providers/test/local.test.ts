import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { collectStream, ProviderError, type StreamChunk, textMessage } from "@codetether/core";
import { writeTinyGguf } from "@codetether/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalProvider, type LocalProvider } from "../src/local/local-provider.js";

/** Bounded strings: random weights rarely close an unbounded string (see tiny-gguf REPORT.md). */
const tools = [
  {
    name: "read",
    description: "Read a file",
    parameters: {
      type: "object",
      properties: { path: { type: "string", enum: ["src/a.ts", "README.md"] } },
      required: ["path"],
    },
  },
  {
    name: "grep",
    description: "Search files",
    parameters: {
      type: "object",
      properties: { pattern: { type: "string", minLength: 1, maxLength: 12 }, limit: { type: "integer" } },
      required: ["pattern"],
      additionalProperties: false,
    },
  },
];

/** A port nothing listens on: connecting fails at once, like a machine without network. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("local provider (node-llama-cpp on a generated tiny GGUF)", () => {
  let dir: string;
  let modelFile: string;
  let provider: LocalProvider;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "local-provider-"));
    modelFile = (await writeTinyGguf(path.join(dir, "tiny.gguf"), { seed: 1 })).file;
    provider = createLocalProvider({
      defaultModel: modelFile,
      modelsDir: path.join(dir, "models"),
      threads: 1,
      contextSize: 1024,
      seed: 1,
      env: {},
    });
  });
  afterAll(async () => {
    await provider?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers from the generated model through the chat template, with usage", async () => {
    const chunks: StreamChunk[] = [];
    for await (const c of provider.stream({
      model: "default",
      messages: [textMessage("system", "You are terse."), textMessage("user", "Say something.")],
      maxTokens: 12,
      temperature: 0.8,
    })) {
      chunks.push(c);
    }
    const usage = chunks.find((c) => c.type === "usage");
    expect(usage?.type === "usage" && usage.usage.promptTokens).toBeGreaterThan(5);
    expect(usage?.type === "usage" && usage.usage.completionTokens).toBeGreaterThan(0);
    expect(chunks.at(-1)?.type).toBe("finish");
    // Seeded sampling is deterministic: this model and seed stream text until the token limit.
    expect(chunks.filter((c) => c.type === "text-delta").length).toBeGreaterThan(1);
    expect(chunks.some((c) => c.type === "tool-call-start")).toBe(false);
  });

  it("produces a schema-valid tool call through the JSON-Schema grammar", async () => {
    const res = await collectStream(
      provider.stream({
        model: modelFile,
        messages: [textMessage("user", "Read the readme.")],
        tools,
        toolChoice: "required",
        maxTokens: 160,
        temperature: 0.8,
      }),
    );
    expect(res.finishReason).toBe("tool_calls");
    const calls = res.message.content.filter((p) => p.type === "tool_call");
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    if (call.type !== "tool_call") throw new Error("unreachable");
    expect(call.id).toMatch(/^call_local_/);
    const args = JSON.parse(call.arguments) as Record<string, unknown>;
    if (call.name === "read") {
      expect(["src/a.ts", "README.md"]).toContain(args.path);
    } else {
      expect(call.name).toBe("grep");
      expect(typeof args.pattern).toBe("string");
      expect((args.pattern as string).length).toBeGreaterThanOrEqual(1);
      expect((args.pattern as string).length).toBeLessThanOrEqual(12);
      expect(Object.keys(args).every((k) => k === "pattern" || k === "limit")).toBe(true);
      if ("limit" in args) expect(Number.isInteger(args.limit)).toBe(true);
    }
  });

  it("continues after a tool result round trip", async () => {
    const res = await collectStream(
      provider.stream({
        model: modelFile,
        tools,
        toolChoice: "none",
        maxTokens: 8,
        messages: [
          textMessage("user", "Read it."),
          {
            role: "assistant",
            content: [{ type: "tool_call", id: "c1", name: "read", arguments: '{"path":"README.md"}' }],
          },
          {
            role: "tool",
            content: [{ type: "tool_result", tool_call_id: "c1", content: "hello", is_error: false }],
          },
        ],
      }),
    );
    expect(["stop", "length"]).toContain(res.finishReason);
    expect(res.usage.promptTokens).toBeGreaterThan(0);
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    const err = await (async () => {
      for await (const c of provider.stream(
        {
          model: modelFile,
          messages: [textMessage("user", "Say something.")],
          maxTokens: 400,
          temperature: 0.8,
        },
        controller.signal,
      )) {
        if (c.type === "text-delta") controller.abort();
      }
      controller.abort();
    })().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toMatch(/Abort/);
  });

  it("fails with a clear error for an hf: URI when the download host is unreachable", async () => {
    const port = await closedPort();
    const p = createLocalProvider({
      modelsDir: path.join(dir, "models"),
      huggingFaceEndpoint: `http://127.0.0.1:${port}/`,
      connectTimeoutMs: 3000,
      threads: 1,
      env: {},
    });
    const err = await collectStream(
      p.stream({ model: "hf:someone/some-model-GGUF/model-q4.gguf", messages: [textMessage("user", "x")] }),
    ).then(
      () => undefined,
      (e: unknown) => e as ProviderError,
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err!.kind).toBe("not_found");
    expect(err!.retryable).toBe(false);
    expect(err!.message).toContain('cannot download model "hf:someone/some-model-GGUF/model-q4.gguf"');
    expect(err!.message).toContain("CODETETHER_LOCAL_MODEL");
    expect(err!.message).toContain(path.join(dir, "models"));
    await p.dispose();
  });

  it("never downloads when offline is set, and says where to put the file", async () => {
    const p = createLocalProvider({ modelsDir: path.join(dir, "models"), env: { CODETETHER_OFFLINE: "1" } });
    await expect(
      collectStream(p.stream({ model: "", messages: [textMessage("user", "x")] })),
    ).rejects.toThrow(/is not downloaded and downloads are disabled \(offline\).*CODETETHER_LOCAL_MODEL/);
    expect(p.defaultModel).toMatch(/^hf:/);
  });

  it("reports a missing model file with its absolute path", async () => {
    const err = await collectStream(
      provider.stream({ model: "./no/such/model.gguf", messages: [textMessage("user", "x")] }),
    ).then(
      () => undefined,
      (e: unknown) => e as ProviderError,
    );
    expect(err!.kind).toBe("not_found");
    expect(err!.message).toContain(path.resolve("./no/such/model.gguf"));
  });

  it("takes the default model from CODETETHER_LOCAL_MODEL and its models dir from the data dir", () => {
    const p = createLocalProvider({
      env: { CODETETHER_LOCAL_MODEL: "/m/x.gguf", CODETETHER_DATA_DIR: "/d" },
    });
    expect(p.defaultModel).toBe("/m/x.gguf");
    expect(p.modelsDir).toBe(path.join("/d", "models"));
  });

  it("rejects bad CODETETHER_LOCAL_GPU / CODETETHER_LOCAL_THREADS values with a clear message", () => {
    expect(() => createLocalProvider({ env: { CODETETHER_LOCAL_GPU: "cuda9" } })).toThrow(
      /CODETETHER_LOCAL_GPU must be "auto" or "cpu", got "cuda9"/,
    );
    expect(() => createLocalProvider({ env: { CODETETHER_LOCAL_THREADS: "-2" } })).toThrow(
      /CODETETHER_LOCAL_THREADS must be a positive integer, got "-2"/,
    );
    expect(() =>
      createLocalProvider({ env: { CODETETHER_LOCAL_GPU: "cpu", CODETETHER_LOCAL_THREADS: "2" } }),
    ).not.toThrow();
  });

  it("serves concurrent requests on one model one after the other", async () => {
    const run = () =>
      collectStream(
        provider.stream({ model: modelFile, messages: [textMessage("user", "hi")], maxTokens: 6 }),
      );
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.usage.completionTokens).toBeGreaterThan(0);
    expect(b.usage.completionTokens).toBeGreaterThan(0);
  });
});
