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
  type ModelInfo,
  type Provider,
  type StreamChunk,
  ToolRegistry,
} from "../src/index.js";

const echo = defineTool({
  id: "echo",
  description: "Echo text\nSecond line is not listed",
  kind: "read",
  parameters: z.object({ text: z.string() }),
  async execute({ text }) {
    return { output: `echo:${text}` };
  },
});

function info(supportsTools: boolean): ModelInfo {
  return {
    id: "m",
    provider: "fake",
    contextWindow: 8000,
    supportsTools,
    supportsVision: false,
    supportsReasoning: false,
  };
}

function textModel(answers: string[]): Provider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  let i = 0;
  return {
    id: "fake",
    requests,
    async listModels() {
      return [];
    },
    async *stream(request): AsyncIterable<StreamChunk> {
      requests.push(structuredClone(request));
      yield { type: "text-delta", text: answers[i++] ?? "done" };
      yield { type: "finish", reason: "stop" };
    },
  };
}

describe("Agent with a text-only model (supportsTools: false)", () => {
  it("sends no tool schemas, names the tools in the system prompt, and the hook still sees every tool", async () => {
    const provider = textModel(["I will echo hi", "done"]);
    const hookTools: string[][] = [];
    const events: AgentEvent[] = [];
    const agent = new Agent({
      provider,
      model: "m",
      modelInfo: info(false),
      tools: new ToolRegistry().register(echo),
      cwd: await fs.mkdtemp(path.join(os.tmpdir(), "ct-core-")),
      rawSystemPrompt: "SYS",
      // Stands in for the tool router: the first answer becomes a call; it reports through emit.
      onResponse: async (response, ctx) => {
        hookTools.push((ctx.request.tools ?? []).map((t) => t.name));
        ctx.emit?.({ type: "tool-routing", outcome: "routed", calls: 1 });
        if (hookTools.length > 1) return response;
        return {
          ...response,
          message: {
            ...response.message,
            content: [
              ...response.message.content,
              { type: "tool_call", id: "r1", name: "echo", arguments: '{"text":"hi"}' },
            ],
          },
          finishReason: "tool_calls",
        };
      },
    });
    agent.subscribe((e) => events.push(e));
    const done = await agent.runToEnd("say hi");
    expect(done.type).toBe("done");
    expect(hookTools).toEqual([["echo"], ["echo"]]);
    expect(provider.requests.map((r) => r.tools)).toEqual([undefined, undefined]);
    const system = provider.requests[0]?.messages[0];
    expect(system?.content.map((p) => (p.type === "text" ? p.text : "")).join("")).toMatch(
      /^SYS\n\nYou cannot call tools directly\..*Available tools:\n- echo: Echo text$/s,
    );
    // The routed call and its result go back as text, so endpoints without tool support accept the history.
    const later = provider.requests[1]?.messages ?? [];
    expect(later.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(JSON.stringify(later)).toContain('[used tool echo with {\\"text\\":\\"hi\\"}]');
    expect(JSON.stringify(later)).toContain("[result of echo]\\necho:hi");
    expect(events.filter((e) => e.type === "tool-routing")).toHaveLength(2);
  });

  it("a tool-capable model still gets the tool schemas", async () => {
    const provider = textModel(["done"]);
    const agent = new Agent({
      provider,
      model: "m",
      modelInfo: info(true),
      tools: new ToolRegistry().register(echo),
      cwd: os.tmpdir(),
      rawSystemPrompt: "SYS",
    });
    await agent.runToEnd("hi");
    expect(provider.requests[0]?.tools?.map((t) => t.name)).toEqual(["echo"]);
    expect(provider.requests[0]?.messages[0]?.content).toEqual([{ type: "text", text: "SYS" }]);
  });
});
