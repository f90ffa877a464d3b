import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Agent, type AgentEvent, messageText, SessionStore, ToolRegistry } from "@codetether/core";
import { startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { createProviderRegistry } from "../src/create-registry.js";
import { runAdderAgent } from "./vendor-helpers.js";

describe("core Agent + OpenAI-compatible provider", () => {
  it("completes a tool-using turn (parallel calls, results round-tripped) and retries a 429", async () => {
    const server = await startScriptedOpenAI([
      { type: "error", status: 429, headers: { "retry-after": "0" } },
      {
        text: "Let me add.",
        toolCalls: [
          { id: "call_1", name: "add", arguments: { a: 2, b: 3 } },
          { id: "call_2", name: "add", arguments: { a: 10, b: 5 } },
        ],
        usage: { prompt_tokens: 100, completion_tokens: 20 },
      },
      (req) => {
        const messages = (
          req.body as { messages: Array<{ role: string; tool_call_id?: string; content: string }> }
        ).messages;
        const results = messages
          .filter((m) => m.role === "tool")
          .map((m) => `${m.tool_call_id}=${m.content}`);
        return {
          text: `Results: ${results.join(", ")}`,
          usage: { prompt_tokens: 150, completion_tokens: 10 },
        };
      },
    ]);
    const cwd = await fs.mkdtemp(path.join(os.tmpdir(), "ct-providers-agent-"));
    try {
      const registry = await createProviderRegistry({
        config: { providers: { openai: { api_key: "sk-test", base_url: server.url } } },
        env: {},
      });
      const { provider, model } = registry.resolve("openai/gpt-4o");
      const { agent, events } = await runAdderAgent(provider, model, cwd);

      const types = events.map((e) => e.type);
      expect(types).toContain("retry");
      const last = agent.session.messages.at(-1);
      expect(last && messageText(last)).toBe("Results: call_1=5, call_2=15");
      const body = server.requests[2]?.body as { messages: unknown[]; tools: unknown[] };
      expect(body.tools).toEqual([
        {
          type: "function",
          function: expect.objectContaining({
            name: "add",
            parameters: expect.objectContaining({ type: "object" }),
          }),
        },
      ]);
      expect(body.messages.slice(-3)).toEqual([
        {
          role: "assistant",
          content: "Let me add.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "add", arguments: '{"a":2,"b":3}' } },
            { id: "call_2", type: "function", function: { name: "add", arguments: '{"a":10,"b":5}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "5" },
        { role: "tool", tool_call_id: "call_2", content: "15" },
      ]);
      expect(server.remaining()).toBe(0);
    } finally {
      await server.close();
      await fs.rm(cwd, { recursive: true, force: true });
    }
  });

  it("a model that never answers times out and is retried; a mid-stream drop ends the turn with a loadable session", async () => {
    const server = await startScriptedOpenAI([
      { type: "hang" },
      { text: "Second try worked." },
      { type: "disconnect", response: { text: "This will be cut off" }, afterEvents: 2 },
    ]);
    const cwd = await fs.mkdtemp(path.join(os.tmpdir(), "ct-providers-agent-"));
    try {
      const registry = await createProviderRegistry({
        config: { providers: { groq: { base_url: server.url } } },
        env: { GROQ_API_KEY: "gsk-test" },
      });
      const { provider, model } = registry.resolve("groq/llama-3.3-70b-versatile");
      const store = new SessionStore(path.join(cwd, "sessions"));
      const agent = new Agent({
        provider,
        model,
        tools: new ToolRegistry(),
        cwd,
        store,
        rawSystemPrompt: "sys",
        idleTimeoutMs: 300,
        maxRetries: 1,
      });
      const first: AgentEvent[] = [];
      for await (const e of agent.run("hello")) first.push(e);
      const retry = first.find((e) => e.type === "retry");
      expect(retry && "error" in retry ? retry.error : "").toMatch(/timeout/);
      expect(first.at(-1)).toMatchObject({ type: "done", text: "Second try worked." });

      const second: AgentEvent[] = [];
      for await (const e of agent.run("again")) second.push(e);
      expect(second.at(-1)).toMatchObject({ type: "error", kind: "network" });
      const saved = await store.load(agent.session.id);
      expect(saved.messages.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    } finally {
      await server.close();
      await fs.rm(cwd, { recursive: true, force: true });
    }
  });
});
