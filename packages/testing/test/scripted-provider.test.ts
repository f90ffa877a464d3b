import {
  type ChatRequest,
  collectStream,
  isAbortError,
  messageText,
  type StreamChunk,
} from "@codetether/core";
import { describe, expect, it } from "vitest";
import {
  createScriptedProvider,
  firstUserText,
  lastMessage,
  SCRIPTED_USAGE,
  textReply,
  toolCallReply,
  toolCallsReply,
} from "../src/index.js";

const ask = (text: string): ChatRequest => ({
  model: "m",
  messages: [{ role: "user", content: [{ type: "text", text }] }],
});

async function drain(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const out: StreamChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe("createScriptedProvider", () => {
  it("replays a list of steps in order and records deep copies of the requests", async () => {
    const provider = createScriptedProvider([textReply("one"), toolCallReply("c1", "read", { path: "a" })]);
    const request = ask("hi");
    expect(await drain(provider.stream(request))).toEqual(textReply("one"));
    request.model = "mutated";
    const second = await drain(provider.stream(ask("again")));
    expect(second.map((c) => c.type)).toEqual([
      "tool-call-start",
      "tool-call-delta",
      "tool-call-end",
      "usage",
      "finish",
    ]);
    expect(provider.requests.map((r) => r.model)).toEqual(["m", "m"]);
    expect(provider.requests.map(firstUserText)).toEqual(["hi", "again"]);
    await expect(drain(provider.stream(ask("third")))).rejects.toThrow(/request #3 .*only 2 step/);
  });

  it("throws a scripted error step and answers from a responder function", async () => {
    const failing = createScriptedProvider([new Error("boom")], { delayMs: 0 });
    await expect(drain(failing.stream(ask("x")))).rejects.toThrow("boom");

    const echo = createScriptedProvider((request) => textReply(`echo ${firstUserText(request)}`, null), {
      id: "echo",
    });
    expect(echo.id).toBe("echo");
    const chunks = await drain(echo.stream(ask("ping")));
    expect(chunks).toEqual([
      { type: "text-delta", text: "echo ping" },
      { type: "finish", reason: "stop" },
    ]);
    expect(messageText((await collectStream(echo.stream(ask("pong")))).message)).toBe("echo pong");
  });

  it("counts concurrent streams and honours the abort signal while waiting", async () => {
    const provider = createScriptedProvider(() => textReply("ok"), { delayMs: 5 });
    await Promise.all([1, 2, 3].map(() => drain(provider.stream(ask("x")))));
    expect(provider.maxInFlight).toBe(3);
    expect(provider.inFlight).toBe(0);

    const slow = createScriptedProvider(() => textReply("late"), { delayMs: 10_000 });
    const controller = new AbortController();
    const pending = drain(slow.stream(ask("x"), controller.signal));
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(slow.inFlight).toBe(0);
  });
});

describe("scripted chunk helpers", () => {
  it("builds multi-call turns, optional usage and message accessors", () => {
    const turn = toolCallsReply(
      [
        ["a", "read", { path: "x" }],
        ["b", "bash", { command: "ls" }],
      ],
      null,
    );
    expect(
      turn.filter((c) => c.type === "tool-call-start").map((c) => c.type === "tool-call-start" && c.id),
    ).toEqual(["a", "b"]);
    expect(turn.some((c) => c.type === "usage")).toBe(false);
    expect(textReply("t")).toContainEqual({ type: "usage", usage: SCRIPTED_USAGE });
    expect(firstUserText({ model: "m", messages: [] })).toBe("");
    expect(lastMessage(ask("last")).role).toBe("user");
    expect(() => lastMessage({ model: "m", messages: [] })).toThrow(/no messages/);
  });
});
