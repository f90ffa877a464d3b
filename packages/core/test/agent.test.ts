import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  Agent,
  type AgentEvent,
  type ChatRequest,
  defineTool,
  type Provider,
  ProviderError,
  RuleGate,
  SessionStore,
  type StreamChunk,
  ToolRegistry,
} from "../src/index.js";

/** A provider that replays scripted steps and records requests. */
function scripted(steps: Array<StreamChunk[] | Error>): Provider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  let i = 0;
  return {
    id: "fake",
    requests,
    async listModels() {
      return [];
    },
    async *stream(request) {
      requests.push(structuredClone(request));
      const step = steps[i++];
      if (!step) throw new Error("script exhausted");
      if (step instanceof Error) throw step;
      for (const chunk of step) yield chunk;
    },
  };
}

const echo = defineTool({
  id: "echo",
  description: "Echo text",
  kind: "read",
  parameters: z.object({ text: z.string() }),
  async execute({ text }) {
    return { output: `echo:${text}` };
  },
});

const call = (id: string, name: string, args: string): StreamChunk[] => [
  { type: "tool-call-start", id, name },
  { type: "tool-call-delta", id, argumentsDelta: args.slice(0, 3) },
  { type: "tool-call-delta", id, argumentsDelta: args.slice(3) },
  { type: "tool-call-end", id },
];

async function tmp() {
  return fs.mkdtemp(path.join(os.tmpdir(), "ct-core-"));
}

describe("Agent", () => {
  it("runs tools concurrently, feeds results back, and saves the session", async () => {
    const dir = await tmp();
    const provider = scripted([
      [
        ...call("a", "echo", '{"text":"one"}'),
        ...call("b", "echo", '{"text":"two"}'),
        { type: "finish", reason: "tool_calls" },
      ],
      [
        { type: "text-delta", text: "all " },
        { type: "text-delta", text: "done" },
        { type: "finish", reason: "stop" },
      ],
    ]);
    const store = new SessionStore(path.join(dir, "sessions"));
    const agent = new Agent({
      provider,
      model: "m",
      tools: new ToolRegistry().register(echo),
      cwd: dir,
      store,
    });
    const events: AgentEvent[] = [];
    for await (const e of agent.run("hi")) events.push(e);
    const done = events.at(-1);
    expect(done).toMatchObject({ type: "done", text: "all done", steps: 2 });
    const toolResults = provider.requests[1]?.messages.at(-1);
    expect(toolResults?.content).toEqual([
      { type: "tool_result", tool_call_id: "a", content: "echo:one", is_error: false },
      { type: "tool_result", tool_call_id: "b", content: "echo:two", is_error: false },
    ]);
    const saved = await store.load(agent.session.id);
    expect(saved.messages).toHaveLength(4);
    expect(saved.title).toBe("hi");
  });

  it("returns invalid JSON and unknown tools to the model as error results", async () => {
    const provider = scripted([
      [...call("a", "echo", '{"text":'), ...call("b", "ecko", "{}")],
      [{ type: "text-delta", text: "ok" }],
    ]);
    const agent = new Agent({
      provider,
      model: "m",
      tools: new ToolRegistry().register(echo),
      cwd: await tmp(),
    });
    await agent.runToEnd("x");
    const results = provider.requests[1]?.messages.at(-1)?.content ?? [];
    expect(results[0]).toMatchObject({ is_error: true });
    expect(JSON.stringify(results[0])).toContain("Invalid JSON");
    expect(JSON.stringify(results[1])).toContain("Did you mean: echo");
  });

  it("retries retryable provider errors before anything streamed", async () => {
    const provider = scripted([
      new ProviderError("overloaded", { provider: "fake", kind: "server", status: 500, retryAfterMs: 1 }),
      [{ type: "text-delta", text: "fine" }],
    ]);
    const agent = new Agent({ provider, model: "m", tools: new ToolRegistry(), cwd: await tmp() });
    const events: AgentEvent[] = [];
    for await (const e of agent.run("x")) events.push(e);
    expect(events.some((e) => e.type === "retry")).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "done", text: "fine" });
  });

  it("does not retry auth errors", async () => {
    const provider = scripted([
      new ProviderError("invalid API key for fake", { provider: "fake", kind: "auth", status: 401 }),
    ]);
    const agent = new Agent({ provider, model: "m", tools: new ToolRegistry(), cwd: await tmp() });
    expect(await agent.runToEnd("x")).toMatchObject({ type: "error", kind: "auth" });
  });

  it("times out a provider that never answers", async () => {
    const provider: Provider = {
      id: "slow",
      async listModels() {
        return [];
      },
      async *stream(_req, signal) {
        await new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
        yield { type: "text-delta", text: "never" };
      },
    };
    const agent = new Agent({
      provider,
      model: "m",
      tools: new ToolRegistry(),
      cwd: await tmp(),
      idleTimeoutMs: 50,
      maxRetries: 1,
    });
    const end = await agent.runToEnd("x");
    expect(end).toMatchObject({ type: "error", kind: "timeout" });
  });

  it("denied tools never execute", async () => {
    let ran = false;
    const write = defineTool({
      id: "write",
      description: "w",
      kind: "write",
      parameters: z.object({ path: z.string() }),
      paths: (a) => [a.path],
      async execute() {
        ran = true;
        return { output: "wrote" };
      },
    });
    const gate = new RuleGate({ rules: [{ tool: "write", path: ".env*", action: "deny" }] });
    const provider = scripted([
      call("a", "write", '{"path":".env.local"}'),
      [{ type: "text-delta", text: "ok" }],
    ]);
    const agent = new Agent({
      provider,
      model: "m",
      tools: new ToolRegistry({ gate }).register(write),
      cwd: await tmp(),
    });
    await agent.runToEnd("x");
    expect(ran).toBe(false);
    expect(JSON.stringify(provider.requests[1]?.messages.at(-1))).toContain("Permission denied");
  });
});
