import type { ChatRequest, Provider, StreamChunk } from "@codetether/core";
import { runRlm } from "@codetether/rlm";
import { afterAll, describe, expect, it } from "vitest";
import { createToolRouterHook, ToolRouter } from "../src/index.js";
import { countingLoader, settings, tempDir, tinyModel } from "./helpers.js";

const routers: ToolRouter[] = [];
afterAll(async () => {
  for (const r of routers) await r.dispose();
});

describe("tool router driving RLM for a text-only model", () => {
  it("turns every prose answer into valid rlm_* calls that RLM executes", async () => {
    const dir = await tempDir();
    // The tiny vocabulary spends about one token per character: RLM's seven tool declarations need room.
    const model = await tinyModel(dir, 42, 8192);
    const requests: ChatRequest[] = [];
    // A model without tool calling: it can only describe the next step in prose.
    const textOnly: Provider = {
      id: "textonly",
      async listModels() {
        return [];
      },
      async *stream(request): AsyncIterable<StreamChunk> {
        requests.push(request);
        yield {
          type: "text-delta",
          text: "Let me grep the log for ERROR lines, then give the final answer.",
        };
        yield { type: "finish", reason: "stop" };
      },
    };
    const logs: string[] = [];
    const router = new ToolRouter({
      settings: settings(model),
      loader: countingLoader(),
      threads: 1,
      contextSize: 8192,
      seed: 11,
      // RLM needs a call every step.
      bounds: { maxStringLength: 16, minCalls: 1, maxCalls: 2 },
      log: (line) => logs.push(line),
    });
    routers.push(router);
    const result = await runRlm({
      provider: textOnly,
      model: "m",
      question: "How many errors?",
      sources: ["2024-05-01T10:00:00Z INFO start\n2024-05-01T10:00:01Z ERROR boom\n"],
      modelSupportsTools: false,
      toolRouter: createToolRouterHook({ router, modelSupportsTools: false }),
      maxIterations: 3,
    });
    expect(result.iterations).toBeGreaterThanOrEqual(1);
    // Each later request carries the previous step's routed calls and their results.
    const calls = requests.flatMap((r) =>
      r.messages.flatMap((m) => m.content.filter((p) => p.type === "tool_call")),
    );
    const results = requests.flatMap((r) =>
      r.messages.flatMap((m) => m.content.filter((p) => p.type === "tool_result")),
    );
    const routedSteps = logs.filter((l) => l.includes("routed")).length;
    expect(routedSteps).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(logs.filter((l) => l.includes("routing failed"))).toEqual([]);
    for (const call of calls) {
      expect(call.type === "tool_call" && call.name).toMatch(
        /^rlm_(head|tail|grep|count|slice|llm_query|final)$/,
      );
    }
    for (const r of results) {
      // The router only produces schema-valid arguments, so RLM never reports invalid arguments.
      expect(r.type === "tool_result" && r.content).not.toMatch(/^Invalid (arguments|JSON)/);
    }
    if (result.finished) {
      const final = calls.find((c) => c.type === "tool_call" && c.name === "rlm_final");
      expect(final?.type === "tool_call" && JSON.parse(final.arguments).answer).toBe(result.answer);
    }
  });
});
