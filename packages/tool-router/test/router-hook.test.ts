import fs from "node:fs/promises";
import path from "node:path";
import {
  Agent,
  type AgentEvent,
  type ChatRequest,
  defineTool,
  type ModelInfo,
  type Provider,
  type StreamChunk,
  ToolRegistry,
} from "@codetether/core";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createToolRouterHook, ToolRouter } from "../src/index.js";
import { countingLoader, settings, tempDir, tinyModel } from "./helpers.js";

/** A text-only model: it can only describe what it wants to do. */
function textOnlyModel(answers: string[]): Provider & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  let i = 0;
  return {
    id: "textonly",
    requests,
    async listModels() {
      return [];
    },
    async *stream(request): AsyncIterable<StreamChunk> {
      requests.push(structuredClone(request));
      yield { type: "text-delta", text: answers[i++] ?? "Nothing more to do." };
      yield { type: "finish", reason: "stop" };
    },
  };
}

const textOnlyInfo: ModelInfo = {
  id: "m",
  provider: "textonly",
  contextWindow: 8_000,
  supportsTools: false,
  supportsVision: false,
  supportsReasoning: false,
};

const routers: ToolRouter[] = [];
afterAll(async () => {
  for (const r of routers) await r.dispose();
});

describe("createToolRouterHook", () => {
  it("routes a text-only model's answer into a write call that edits a file", async () => {
    const dir = await tempDir();
    const model = await tinyModel(dir);
    const write = defineTool({
      id: "write",
      description: "Write text to a file in the workspace",
      kind: "write",
      // The tiny model has random weights: the enum pins the file, the content is its own choice.
      parameters: z.object({ path: z.enum(["notes.txt"]), content: z.string().min(1).max(24) }),
      async execute({ path: file, content }, ctx) {
        await fs.writeFile(path.join(ctx.cwd, file), content);
        return { output: `wrote ${content.length} chars to ${file}` };
      },
    });
    const loader = countingLoader();
    const router = new ToolRouter({
      settings: settings(model),
      loader,
      threads: 1,
      seed: 3,
      requireToolMention: true,
      bounds: { minCalls: 1, maxCalls: 1 },
      log: () => {},
    });
    routers.push(router);
    const provider = textOnlyModel([
      "I will write a short greeting to notes.txt.",
      "Done: the file is there.",
    ]);
    const agent = new Agent({
      provider,
      model: "m",
      modelInfo: textOnlyInfo,
      tools: new ToolRegistry().register(write),
      cwd: dir,
      rawSystemPrompt: "You edit files.",
      onResponse: createToolRouterHook({ router, modelInfo: textOnlyInfo }),
    });
    const events: AgentEvent[] = [];
    agent.subscribe((e) => events.push(e));
    const done = await agent.runToEnd("Put a greeting into notes.txt");
    expect(done.type).toBe("done");
    const toolEnd = events.find((e) => e.type === "tool-end");
    expect(toolEnd?.type === "tool-end" && toolEnd.result.output).toMatch(/^wrote \d+ chars to notes\.txt$/);
    const call = agent.session.messages[1]?.content.find((p) => p.type === "tool_call");
    expect(call?.type === "tool_call" && call.name).toBe("write");
    const args = JSON.parse(call?.type === "tool_call" ? call.arguments : "{}") as { content: string };
    expect(await fs.readFile(path.join(dir, "notes.txt"), "utf8")).toBe(args.content);
    // Second answer mentions no tool: not routed (and reported so), the turn ends.
    expect(provider.requests).toHaveLength(2);
    expect(events.filter((e) => e.type === "tool-routing")).toEqual([
      expect.objectContaining({ type: "tool-routing", outcome: "routed", calls: 1, toolsDeclared: 1 }),
      { type: "tool-routing", outcome: "skipped", reason: "the answer names no tool", calls: 0 },
    ]);
    // A text-only model is sent no tool schemas: the tools are named in its system prompt, earlier calls
    // and results come back as text.
    for (const request of provider.requests) expect(request.tools).toBeUndefined();
    const system = provider.requests[0]?.messages[0]?.content
      .map((p) => (p.type === "text" ? p.text : ""))
      .join("");
    expect(system).toContain("- write: Write text to a file in the workspace");
    const second = JSON.stringify(provider.requests[1]?.messages.slice(1));
    expect(second).toContain("[used tool write with");
    expect(second).toContain("[result of write]");
    expect(second).not.toContain('"tool_call"');
    expect(loader.calls).toBe(1);
  });

  it("never loads the model for a tool-capable model", async () => {
    const dir = await tempDir();
    const loader = countingLoader();
    const hook = createToolRouterHook({
      settings: settings(path.join(dir, "unused.gguf")),
      loader,
      modelSupportsTools: true,
    });
    const provider = textOnlyModel(["I would write notes.txt"]);
    const agent = new Agent({
      provider,
      model: "m",
      tools: new ToolRegistry(),
      cwd: dir,
      rawSystemPrompt: "s",
      onResponse: hook,
    });
    expect((await agent.runToEnd("hi")).type).toBe("done");
    expect(loader.calls).toBe(0);
  });
});
