import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  Agent,
  defineTool,
  noToolModel,
  type Provider,
  type StreamChunk,
  ToolRegistry,
  toolModel,
} from "../src/index.js";

/** A provider whose every turn calls `which` once, then answers with the tool's output. */
function provider(id: string): Provider {
  let turn = 0;
  return {
    id,
    async listModels() {
      return [];
    },
    async *stream(request): AsyncGenerator<StreamChunk> {
      if (turn++ % 2 === 0) {
        yield { type: "tool-call-start", id: `c${turn}`, name: "which" };
        yield { type: "tool-call-end", id: `c${turn}` };
        yield { type: "finish", reason: "tool_calls" };
        return;
      }
      const last = request.messages.at(-1)?.content[0];
      yield { type: "text-delta", text: last?.type === "tool_result" ? String(last.content) : "?" };
      yield { type: "finish", reason: "stop" };
    },
  };
}

/** Reports the model `toolModel` picks, as a sub-agent tool would use it. */
const which = (fixed: { provider?: Provider; model?: string } = {}) =>
  defineTool({
    id: "which",
    description: "which model",
    kind: "read",
    parameters: z.object({}),
    async execute(_args, ctx) {
      const chosen = toolModel(ctx, fixed);
      return { output: chosen ? `${chosen.provider.id}/${chosen.model}` : "none" };
    },
  });

describe("toolModel", () => {
  it("follows the calling agent: one registry, two agents on different models", async () => {
    const cwd = await fs.mkdtemp(path.join(os.tmpdir(), "ct-tool-model-"));
    const tools = new ToolRegistry().register(which());
    const first = new Agent({ provider: provider("p1"), model: "small", tools, cwd });
    expect(await first.runToEnd("go")).toMatchObject({ type: "done", text: "p1/small" });
    // A model switch builds a new agent on the same session and the same tools.
    const switched = new Agent({
      provider: provider("p2"),
      model: "large",
      tools,
      cwd,
      session: first.session,
    });
    expect(await switched.runToEnd("again")).toMatchObject({ type: "done", text: "p2/large" });
  });

  it("prefers the model the tool was built with, and is undefined outside an agent", async () => {
    const cwd = await fs.mkdtemp(path.join(os.tmpdir(), "ct-tool-model-"));
    const tools = new ToolRegistry().register(which({ provider: provider("fixed"), model: "m" }));
    const agent = new Agent({ provider: provider("p1"), model: "small", tools, cwd });
    expect(await agent.runToEnd("go")).toMatchObject({ type: "done", text: "fixed/m" });
    expect(toolModel({ services: {} })).toBeUndefined();
    expect(toolModel({})).toBeUndefined();
    expect(noToolModel("swarm")).toEqual({
      output: "swarm has no model here: run it inside an agent or give it a provider and model.",
      isError: true,
    });
    // Half a fixed model is not a model: the agent's is used.
    expect(toolModel({ services: { agent } }, { model: "only-a-name" })?.model).toBe("small");
  });
});
