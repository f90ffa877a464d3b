import { describe, expect, it, vi } from "vitest";
import * as tokenCounter from "../src/context/token-counter.js";
import {
  Agent,
  createCompactionHook,
  createSession,
  type Provider,
  type StreamChunk,
  ToolRegistry,
  textMessage,
} from "../src/index.js";

// The exact tokenizer (js-tiktoken) takes seconds to load; the hook must only load it when the cheap
// estimate says the prompt is near the compaction limit.
vi.mock("../src/context/token-counter.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/context/token-counter.js")>();
  return { ...actual, getTokenCounter: vi.fn(actual.getTokenCounter) };
});

const echo: Provider = {
  id: "fake",
  async listModels() {
    return [];
  },
  async *stream(): AsyncIterable<StreamChunk> {
    yield { type: "text-delta", text: "ok" };
    yield { type: "finish", reason: "stop" };
  },
};

function agentWith(historyChars: number, contextWindow: number): Agent {
  const session = createSession({ cwd: "/" });
  if (historyChars > 0) session.messages.push(textMessage("user", "w ".repeat(historyChars / 2)));
  return new Agent({
    provider: echo,
    model: "openai/gpt-4o",
    modelInfo: {
      id: "gpt-4o",
      provider: "openai",
      contextWindow,
      supportsTools: true,
      supportsVision: false,
      supportsReasoning: false,
    },
    session,
    tools: new ToolRegistry(),
    cwd: "/",
    rawSystemPrompt: "s",
    beforeStep: createCompactionHook({
      onError: (e) => {
        throw e;
      },
    }),
  });
}

describe("compaction hook tokenizer loading", () => {
  it("does not load the exact tokenizer when the estimate is far below the limit", async () => {
    const spy = vi.mocked(tokenCounter.getTokenCounter);
    spy.mockClear();
    const done = await agentWith(0, 128_000).runToEnd("hi");
    expect(done.type).toBe("done");
    expect(spy).not.toHaveBeenCalled();
  });

  it("loads the exact tokenizer when the estimate is within the margin of the limit", async () => {
    const spy = vi.mocked(tokenCounter.getTokenCounter);
    spy.mockClear();
    // ~2,000 estimated tokens against a limit of 0.8 × 2,400 = 1,920: near (and over) the limit.
    const done = await agentWith(8_000, 2_400).runToEnd("hi");
    expect(done.type).toBe("done");
    expect(spy).toHaveBeenCalledWith("openai/gpt-4o");
  });
});
