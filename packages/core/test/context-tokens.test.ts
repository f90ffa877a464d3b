import { describe, expect, it } from "vitest";
import {
  countMessageTokens,
  estimateCounter,
  getTokenCounter,
  modelFamily,
  textMessage,
  tiktokenEncodingFor,
} from "../src/index.js";

describe("token counting", () => {
  it("maps model ids to tokenizer families", () => {
    expect(modelFamily("gpt-4o")).toBe("openai");
    expect(modelFamily("openai/o3-mini")).toBe("openai");
    expect(modelFamily("anthropic/claude-sonnet-4")).toBe("anthropic");
    expect(modelFamily("gemini-2.5-pro")).toBe("google");
    expect(modelFamily("openrouter/meta-llama/llama-3.1-70b")).toBe("llama");
    expect(modelFamily("glm-5")).toBe("other");
    expect(tiktokenEncodingFor("gpt-4o")).toBe("o200k_base");
    expect(tiktokenEncodingFor("gpt-4-turbo")).toBe("cl100k_base");
    expect(tiktokenEncodingFor("claude-3")).toBeUndefined();
  });

  it("uses the real o200k tokenizer for OpenAI models", async () => {
    const counter = await getTokenCounter("openai/gpt-4o");
    expect(counter.kind).toBe("exact");
    expect(counter.name).toBe("o200k_base");
    expect(counter.count("hello world")).toBe(2);
    expect(counter.count("")).toBe(0);
    // Special-token text in user content is counted, not rejected.
    expect(counter.count("<|endoftext|>")).toBeGreaterThan(0);
    const cl = await getTokenCounter("gpt-4");
    expect(cl.name).toBe("cl100k_base");
    expect(cl.count("hello world")).toBe(2);
  });

  it("estimates other families from calibrated chars-per-token, rounding up", async () => {
    const counter = await getTokenCounter("anthropic/claude-sonnet-4");
    expect(counter.kind).toBe("estimate");
    expect(counter.count("x".repeat(35))).toBe(10);
    expect(counter.count("x".repeat(36))).toBe(11);
    expect(estimateCounter("google").count("abcd")).toBe(1);
  });

  it("estimates stay within 35% of the real tokenizer on code and prose", async () => {
    const exact = await getTokenCounter("gpt-4o");
    const sample =
      "export function add(a: number, b: number): number {\n  return a + b;\n}\n" +
      "The agent loop calls the model, runs the requested tools and feeds the results back.\n";
    const text = sample.repeat(20);
    const ratio = estimateCounter("openai").count(text) / exact.count(text);
    expect(ratio).toBeGreaterThan(0.65);
    expect(ratio).toBeLessThan(1.35);
  });

  it("counts messages with per-message overhead and tool parts", async () => {
    const counter = estimateCounter("other");
    const messages = [
      textMessage("user", "x".repeat(35)),
      {
        role: "assistant" as const,
        content: [{ type: "tool_call" as const, id: "1", name: "read", arguments: '{"path":"a"}' }],
      },
      {
        role: "tool" as const,
        content: [
          { type: "tool_result" as const, tool_call_id: "1", content: "y".repeat(70), is_error: false },
        ],
      },
    ];
    const total = countMessageTokens(messages, counter);
    expect(total).toBe(4 + 10 + 4 + (2 + 4 + 3) + 4 + (20 + 3));
  });
});
