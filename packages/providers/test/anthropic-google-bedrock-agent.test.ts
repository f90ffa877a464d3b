import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Agent, type AgentEvent, messageText, type Provider, ToolRegistry } from "@codetether/core";
import { startFakeAnthropicServer, startFakeBedrockServer, startFakeGeminiServer } from "@codetether/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropicProvider } from "../src/anthropic/anthropic-provider.js";
import { createBedrockProvider } from "../src/bedrock/bedrock-provider.js";
import { createGoogleProvider } from "../src/google/google-provider.js";
import { runAdderAgent } from "./vendor-helpers.js";

interface Vendor {
  name: string;
  /** Starts a fake scripted with: 429 (Retry-After 0), two parallel add calls, final text. */
  start(): Promise<{
    provider: Provider;
    model: string;
    bodies: () => unknown[];
    close: () => Promise<void>;
  }>;
  /** Starts a fake whose only reply is cut off mid-stream. */
  startBroken(): Promise<{ provider: Provider; model: string; close: () => Promise<void> }>;
}

const calls = [
  { id: "c1", a: 2, b: 3 },
  { id: "c2", a: 10, b: 5 },
];

const vendors: Vendor[] = [
  {
    name: "anthropic",
    async start() {
      const s = await startFakeAnthropicServer({
        replies: [
          { kind: "error", status: 429, retryAfter: "0" },
          {
            text: "Adding.",
            toolCalls: calls.map((c) => ({ id: c.id, name: "add", input: { a: c.a, b: c.b } })),
          },
          { text: "5 and 15." },
        ],
      });
      const provider = createAnthropicProvider({ apiKey: "test-key", baseUrl: s.url, env: {} });
      return {
        provider,
        model: "claude-sonnet-4-20250514",
        bodies: () => s.requests.map((r) => r.body),
        close: s.close,
      };
    },
    async startBroken() {
      const s = await startFakeAnthropicServer({
        replies: [{ text: "partial answer here", disconnectAfterEvents: 5 }],
      });
      return {
        provider: createAnthropicProvider({ apiKey: "test-key", baseUrl: s.url, env: {} }),
        model: "m",
        close: s.close,
      };
    },
  },
  {
    name: "google",
    async start() {
      const s = await startFakeGeminiServer({
        replies: [
          { kind: "error", status: 429, retryAfter: "0" },
          {
            text: "Adding.",
            functionCalls: calls.map((c) => ({ id: c.id, name: "add", args: { a: c.a, b: c.b } })),
          },
          { text: "5 and 15." },
        ],
      });
      const provider = createGoogleProvider({ apiKey: "test-key", baseUrl: s.url, env: {} });
      return {
        provider,
        model: "gemini-2.5-pro",
        bodies: () => s.requests.map((r) => r.body),
        close: s.close,
      };
    },
    async startBroken() {
      const s = await startFakeGeminiServer({
        replies: [{ text: "partial answer here", disconnectAfterEvents: 2 }],
      });
      return {
        provider: createGoogleProvider({ apiKey: "test-key", baseUrl: s.url, env: {} }),
        model: "m",
        close: s.close,
      };
    },
  },
  {
    name: "bedrock",
    async start() {
      const s = await startFakeBedrockServer({
        replies: [
          { kind: "error", status: 429, retryAfter: "0" },
          {
            text: "Adding.",
            toolUses: calls.map((c) => ({ toolUseId: c.id, name: "add", input: { a: c.a, b: c.b } })),
          },
          { text: "5 and 15." },
        ],
      });
      const provider = createBedrockProvider({
        endpoint: s.url,
        region: "us-east-1",
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "s" },
        env: {},
      });
      return {
        provider,
        model: "claude-sonnet-4",
        bodies: () => s.requests.map((r) => r.body),
        close: s.close,
      };
    },
    async startBroken() {
      const s = await startFakeBedrockServer({
        replies: [{ text: "partial answer here", disconnectAfterEvents: 3 }],
      });
      const provider = createBedrockProvider({
        endpoint: s.url,
        region: "us-east-1",
        credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "s" },
        env: {},
      });
      return { provider, model: "m", close: s.close };
    },
  },
];

describe.each(vendors)("core Agent + $name provider against its local wire fake", (vendor) => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await fs.mkdtemp(path.join(os.tmpdir(), `ct-${vendor.name}-agent-`));
  });
  afterAll(async () => {
    await fs.rm(cwd, { recursive: true, force: true });
  });

  it("retries a 429, runs two parallel tool calls and sends both results back", async () => {
    const { provider, model, bodies, close } = await vendor.start();
    try {
      const { agent, events } = await runAdderAgent(provider, model, cwd);
      expect(events.map((e) => e.type)).toContain("retry");
      const last = agent.session.messages.at(-1);
      expect(last && messageText(last)).toBe("5 and 15.");
      const toolMessages = agent.session.messages.filter((m) => m.role === "tool");
      const results = toolMessages.flatMap((m) => m.content).filter((p) => p.type === "tool_result");
      expect(results.map((r) => (r.type === "tool_result" ? [r.tool_call_id, r.content] : []))).toEqual([
        ["c1", "5"],
        ["c2", "15"],
      ]);
      // Third request carries both results in the vendor's own format.
      expect(JSON.stringify(bodies()[2])).toMatch(/c1[\s\S]*5[\s\S]*c2[\s\S]*15/);
    } finally {
      await close();
    }
  });

  it("reports a mid-stream disconnect as an error and keeps the partial answer out of the session", async () => {
    const { provider, model, close } = await vendor.startBroken();
    try {
      const agent = new Agent({
        provider,
        model,
        tools: new ToolRegistry(),
        cwd,
        rawSystemPrompt: "x",
        maxRetries: 0,
      });
      const events: AgentEvent[] = [];
      for await (const event of agent.run("hello")) events.push(event);
      const error = events.find((e) => e.type === "error");
      expect(error).toBeDefined();
      expect(
        agent.session.messages.some((m) => m.role === "assistant" && messageText(m).includes("partial")),
      ).toBe(false);
    } finally {
      await close();
    }
  });
});
