import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  Agent,
  type AgentEvent,
  type ChatRequest,
  compactSession,
  createCompactionHook,
  createSession,
  defineTool,
  estimateCounter,
  type ModelInfo,
  PRUNED_OUTPUTS_KEY,
  type Provider,
  type Session,
  SessionStore,
  type StreamChunk,
  SUMMARY_SYSTEM_PROMPT,
  ToolRegistry,
  textMessage,
} from "../src/index.js";

const SUMMARY =
  "## Goal\nRead every part of the log.\n## Decisions\nRead in order.\n## Files touched\n- part-0.log\n## Open tasks\nNone";

/**
 * A scripted model: answers summary requests (recognised by the summariser's system prompt) with a
 * fixed summary, and otherwise reads part-0..part-(n-1) with the `read` tool, `perTurn` parts per user
 * turn, then answers "finished".
 */
function scriptedModel(
  parts: number,
  summary = SUMMARY,
  perTurn = 2,
): Provider & { requests: ChatRequest[]; summaries: number } {
  const state = { requests: [] as ChatRequest[], summaries: 0 };
  let reads = 0;
  return {
    id: "fake",
    get requests() {
      return state.requests;
    },
    get summaries() {
      return state.summaries;
    },
    async listModels() {
      return [];
    },
    async *stream(request): AsyncIterable<StreamChunk> {
      const system = request.messages[0]?.content[0];
      if (system?.type === "text" && system.text === SUMMARY_SYSTEM_PROMPT) {
        state.summaries++;
        yield { type: "text-delta", text: summary };
        yield {
          type: "usage",
          usage: { promptTokens: 100, completionTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 },
        };
        yield { type: "finish", reason: "stop" };
        return;
      }
      state.requests.push(structuredClone(request));
      const lastUser = request.messages.findLastIndex((m) => m.role === "user");
      const readsThisTurn = request.messages.slice(lastUser).filter((m) => m.role === "tool").length;
      if (reads < parts && readsThisTurn < perTurn) {
        const id = `c${reads}`;
        yield { type: "tool-call-start", id, name: "read" };
        yield { type: "tool-call-delta", id, argumentsDelta: JSON.stringify({ path: `part-${reads}.log` }) };
        yield { type: "tool-call-end", id };
        yield { type: "finish", reason: "tool_calls" };
        reads++;
        return;
      }
      yield { type: "text-delta", text: "finished" };
      yield { type: "finish", reason: "stop" };
    },
  };
}

const read = defineTool({
  id: "read",
  description: "Read a file",
  kind: "read",
  parameters: z.object({ path: z.string() }),
  async execute({ path: p }) {
    return { output: `${p}: ${"line of log output ".repeat(60)}` };
  },
});

const modelInfo: ModelInfo = {
  id: "m",
  provider: "fake",
  contextWindow: 1_500,
  supportsTools: true,
  supportsVision: false,
  supportsReasoning: false,
};

function textOf(request: ChatRequest): string {
  return JSON.stringify(request.messages);
}

describe("compaction", () => {
  it("a long scripted session triggers compaction and continues with the summary", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-ctx-"));
    const store = new SessionStore(path.join(dir, "sessions"));
    const provider = scriptedModel(24);
    const events: AgentEvent[] = [];
    // Hooks that only record: automatic compaction must run the pre_compact hooks ("auto") before each summary.
    const hooked: string[] = [];
    const agent = new Agent({
      provider,
      model: "m",
      modelInfo,
      tools: new ToolRegistry().register(read),
      cwd: dir,
      rawSystemPrompt: "You read logs.",
      store,
      hooks: {
        run: async (e) => {
          if (e.event === "pre_compact") hooked.push(`pre_compact:${e.trigger}:${provider.summaries}`);
          return {};
        },
      },
      beforeStep: createCompactionHook({
        threshold: 0.8,
        counter: estimateCounter("other"),
        keepRecentTurns: 1,
      }),
    });
    agent.subscribe((e) => events.push(e));
    await agent.runToEnd("Read part-0.log first; it is about the build.");
    let done: AgentEvent | undefined;
    for (let turn = 1; turn < 12; turn++)
      done = await agent.runToEnd(`Read the next two parts (turn ${turn}).`);
    expect(done?.type).toBe("done");
    if (done?.type === "done") expect(done.text).toBe("finished");

    const compactions = events.filter((e) => e.type === "compaction");
    expect(compactions.length).toBeGreaterThan(1);
    expect(provider.summaries).toBe(compactions.length);
    // One pre_compact per summary, each before its summary call.
    expect(hooked).toEqual(compactions.map((_, i) => `pre_compact:auto:${i}`));
    const session = agent.session;
    expect(session.summary).toContain("## Goal");
    expect(session.compactedFrom).toBeGreaterThan(0);
    // Tool outputs were pruned before summarising, and the originals are kept.
    expect(Object.keys(session.metadata[PRUNED_OUTPUTS_KEY] as object).length).toBeGreaterThan(0);

    // Every request after the first compaction carries the summary and stays under the window.
    const counter = estimateCounter("other");
    const last = provider.requests.at(-1)!;
    expect(textOf(last)).toContain("<conversation-summary>");
    expect(textOf(last)).not.toContain("it is about the build");
    for (const request of provider.requests) {
      const tokens = Math.ceil(JSON.stringify(request.messages).length / 3.5);
      expect(tokens).toBeLessThan(modelInfo.contextWindow * 1.2);
    }
    expect(counter.count("x")).toBe(1);

    // The full history stays in the session file.
    const saved: Session = await store.load(session.id);
    expect(saved.messages.length).toBe(session.messages.length);
    expect(JSON.stringify(saved.messages)).toContain("it is about the build");
    expect(saved.summary).toBe(session.summary);
    expect(session.usage.completionTokens).toBeGreaterThanOrEqual(20);
  });

  it("does nothing below the threshold and prunes before summarising", async () => {
    const provider = scriptedModel(0);
    const session = createSession({ cwd: "/" });
    session.messages.push(textMessage("user", "hi"), textMessage("assistant", "hello"));
    const none = await compactSession({
      session,
      provider,
      model: "m",
      modelInfo,
      counter: estimateCounter("other"),
    });
    expect(none.action).toBe("none");
    expect(provider.summaries).toBe(0);

    const big = createSession({ cwd: "/" });
    big.messages.push(
      textMessage("user", "read it"),
      {
        role: "assistant",
        content: [{ type: "tool_call", id: "t1", name: "read", arguments: '{"path":"a"}' }],
      },
      {
        role: "tool",
        content: [{ type: "tool_result", tool_call_id: "t1", content: "z".repeat(9_000), is_error: false }],
      },
      textMessage("assistant", "done reading"),
      textMessage("user", "thanks"),
      textMessage("assistant", "welcome"),
    );
    const pruned = await compactSession({
      session: big,
      provider,
      model: "m",
      modelInfo,
      counter: estimateCounter("other"),
      keepRecentTurns: 1,
    });
    expect(pruned.action).toBe("pruned");
    expect(pruned.tokensAfter).toBeLessThan(pruned.limit);
    expect(provider.summaries).toBe(0);
    expect((big.metadata[PRUNED_OUTPUTS_KEY] as Record<string, string>).t1).toHaveLength(9_000);
  });

  it("force-compacts (/compact) and records files touched", async () => {
    const provider = scriptedModel(0, "## Goal\nx\n## Decisions\n-\n## Files touched\n-\n## Open tasks\n-");
    const session = createSession({ cwd: "/" });
    session.messages.push(
      textMessage("user", "edit src/a.ts"),
      {
        role: "assistant",
        content: [{ type: "tool_call", id: "t1", name: "edit", arguments: '{"file_path":"src/a.ts"}' }],
      },
      {
        role: "tool",
        content: [{ type: "tool_result", tool_call_id: "t1", content: "ok", is_error: false }],
      },
      textMessage("assistant", "edited"),
      textMessage("user", "next"),
    );
    const events: AgentEvent[] = [];
    const result = await compactSession({
      session,
      provider,
      model: "m",
      force: true,
      counter: estimateCounter("other"),
      emit: (e) => events.push(e),
    });
    expect(result.action).toBe("summarized");
    expect(result.removedMessages).toBe(4);
    expect(session.compactedFrom).toBe(4);
    expect(session.summary).toContain("- src/a.ts");
    expect(events).toEqual([
      { type: "compaction", removedMessages: 4, summaryChars: session.summary!.length },
    ]);
  });

  it("an empty summary leaves the session unchanged with a clear error; bad thresholds are rejected", async () => {
    const provider = scriptedModel(0, "   ");
    const session = createSession({ cwd: "/" });
    session.messages.push(textMessage("user", "a"), textMessage("assistant", "b"), textMessage("user", "c"));
    await expect(compactSession({ session, provider, model: "m", force: true })).rejects.toThrow(
      /empty summary/,
    );
    expect(session.summary).toBeUndefined();
    expect(session.compactedFrom).toBeUndefined();
    await expect(
      compactSession({ session, provider, model: "m", modelInfo, threshold: 1.5 }),
    ).rejects.toThrow(/threshold/);
    await expect(compactSession({ session, provider, model: "m" })).rejects.toThrow(/context window/);
  });

  it("the hook does nothing when disabled or when the context window is unknown", async () => {
    for (const [hookOptions, info] of [
      [{ enabled: false }, modelInfo],
      [{}, undefined],
    ] as const) {
      const provider = scriptedModel(0);
      const session = createSession({ cwd: "/" });
      for (let i = 0; i < 20; i++)
        session.messages.push(textMessage(i % 2 ? "assistant" : "user", "w".repeat(500)));
      const agent = new Agent({
        provider,
        model: "m",
        ...(info ? { modelInfo: info } : {}),
        session,
        tools: new ToolRegistry(),
        cwd: "/",
        rawSystemPrompt: "s",
        beforeStep: createCompactionHook(hookOptions),
      });
      expect((await agent.runToEnd("go")).type).toBe("done");
      expect(provider.summaries).toBe(0);
      expect(session.summary).toBeUndefined();
    }
  });

  it("the hook reports a failing summariser and lets the step run", async () => {
    const errors: Error[] = [];
    const failing: Provider = {
      id: "fake",
      async listModels() {
        return [];
      },
      async *stream(request): AsyncIterable<StreamChunk> {
        const system = request.messages[0]?.content[0];
        if (system?.type === "text" && system.text === SUMMARY_SYSTEM_PROMPT)
          throw new Error("summary service down");
        yield { type: "text-delta", text: "ok" };
        yield { type: "finish", reason: "stop" };
      },
    };
    const session = createSession({ cwd: "/" });
    for (let i = 0; i < 20; i++)
      session.messages.push(textMessage(i % 2 ? "assistant" : "user", "w".repeat(500)));
    const agent = new Agent({
      provider: failing,
      model: "m",
      modelInfo,
      session,
      tools: new ToolRegistry(),
      cwd: "/",
      rawSystemPrompt: "s",
      beforeStep: createCompactionHook({ onError: (e) => errors.push(e) }),
    });
    const done = await agent.runToEnd("go");
    expect(done.type).toBe("done");
    expect(errors[0]?.message).toMatch(/summary service down/);
  });
});
