import { messageText } from "@codetether/core";
import { createScriptedProvider, lastMessage, textReply as text } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { DecompositionError, decompose, extractJsonObject } from "../src/index.js";

const valid = {
  subtasks: [
    { name: "a", instruction: "do a" },
    { name: "b", instruction: "do b", dependencies: ["a"] },
  ],
};

describe("decompose", () => {
  it("extracts JSON from fences or braces", () => {
    expect(extractJsonObject('Here:\n```json\n{"x":1}\n```')).toEqual({ x: 1 });
    expect(extractJsonObject('sure {"x":{"y":2}} done')).toEqual({ x: { y: 2 } });
    expect(() => extractJsonObject("no json")).toThrow(/no JSON object/);
  });

  it("retries invalid output with the error and returns staged subtasks", async () => {
    const replies = ["not json at all", JSON.stringify({ subtasks: [{ name: "a" }] }), JSON.stringify(valid)];
    const provider = createScriptedProvider(() => text(replies.shift()!));
    const result = await decompose({
      task: "t",
      strategy: "domain",
      provider,
      model: "m",
      maxSubtasks: 5,
      toolIds: [],
    });
    expect(result.attempts).toBe(3);
    expect(result.subtasks.map((s) => [s.id, s.stage])).toEqual([
      ["a", 0],
      ["b", 1],
    ]);
    expect(messageText(lastMessage(provider.requests[1]!))).toMatch(/no JSON object/);
    expect(messageText(lastMessage(provider.requests[2]!))).toMatch(/subtasks\.0\.instruction/);
    expect(messageText(provider.requests[0]!.messages[0]!)).toMatch(/domain expertise/);
    expect(result.usage.promptTokens).toBe(30);
  });

  it("feeds cycles, too many subtasks and unknown tools back, then gives up clearly", async () => {
    const cyclic = {
      subtasks: [
        { name: "a", instruction: "x", dependencies: ["b"] },
        { name: "b", instruction: "y", dependencies: ["a"] },
      ],
    };
    const provider = createScriptedProvider(() => text(JSON.stringify(cyclic)));
    const err = await decompose({
      task: "t",
      strategy: "auto",
      provider,
      model: "m",
      maxSubtasks: 5,
      toolIds: [],
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DecompositionError);
    expect(err.message).toMatch(/after 3 attempts.*cycle/s);

    const many = createScriptedProvider(() => text(JSON.stringify(valid)));
    await expect(
      decompose({
        task: "t",
        strategy: "auto",
        provider: many,
        model: "m",
        maxSubtasks: 1,
        toolIds: [],
        maxAttempts: 1,
      }),
    ).rejects.toThrow(/at most 1/);

    const tools = createScriptedProvider(() =>
      text(JSON.stringify({ subtasks: [{ name: "a", instruction: "x", tools: ["rm"] }] })),
    );
    await expect(
      decompose({
        task: "t",
        strategy: "auto",
        provider: tools,
        model: "m",
        maxSubtasks: 3,
        toolIds: ["read"],
        maxAttempts: 1,
      }),
    ).rejects.toThrow(/Unknown tools "rm"/);
  });

  it("strategy none runs the task as one subtask without a model call", async () => {
    const provider = createScriptedProvider(() => text("unused"));
    const result = await decompose({
      task: "whole",
      strategy: "none",
      provider,
      model: "m",
      maxSubtasks: 5,
      toolIds: [],
    });
    expect(result.subtasks).toHaveLength(1);
    expect(result.subtasks[0]!.instruction).toBe("whole");
    expect(provider.requests).toHaveLength(0);
  });
});
