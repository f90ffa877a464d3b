import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createSession,
  exportSession,
  forkSession,
  importSession,
  type Message,
  type Session,
  SessionImportError,
  sessionStats,
  turnStarts,
} from "../src/index.js";

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-20T10:00:00.000Z");

function turn(text: string, at: number, model = "openai/gpt-4o", tokens = 10): Message[] {
  return [
    { role: "user", content: [{ type: "text", text }], createdAt: at },
    {
      role: "assistant",
      content: [{ type: "tool_call", id: `c-${at}`, name: "read", arguments: '{"path":"a.txt"}' }],
      createdAt: at + 1,
      model,
      usage: {
        promptTokens: tokens,
        completionTokens: 2,
        cacheReadTokens: 1,
        cacheWriteTokens: 0,
        cost: 0.5,
      },
    },
    {
      role: "tool",
      content: [{ type: "tool_result", tool_call_id: `c-${at}`, content: "x", is_error: false }],
      createdAt: at + 2,
    },
    { role: "assistant", content: [{ type: "text", text: `answer ${text}` }], createdAt: at + 3, model },
  ];
}

function threeTurns(): Session {
  const s = createSession({ cwd: "/w", model: "openai/gpt-4o", title: "t" });
  s.messages = [
    ...turn("one", T0),
    ...turn("two", T0 + DAY),
    ...turn("three", T0 + 2 * DAY, "anthropic/claude"),
  ];
  return s;
}

describe("forkSession", () => {
  it("keeps turns 1..at, leaves the source alone and starts with zero usage", () => {
    const source = threeTurns();
    const before = JSON.stringify(source);
    const fork = forkSession(source, { at: 2 });
    expect(JSON.stringify(source)).toBe(before);
    expect(fork.id).not.toBe(source.id);
    expect(turnStarts(fork.messages)).toHaveLength(2);
    expect(fork.messages.at(-1)?.content).toEqual([{ type: "text", text: "answer two" }]);
    expect(fork.metadata.forkedFrom).toEqual({ sessionId: source.id, turn: 2, inheritedMessages: 8 });
    expect(fork.usage.promptTokens).toBe(0);
  });

  it("rejects a turn that does not exist, naming the range", () => {
    expect(() => forkSession(threeTurns(), { at: 4 })).toThrow(/has 3 turns \(use 0 to 3\)/);
  });

  it("drops a compaction summary that covers messages past the cut", () => {
    const source = { ...threeTurns(), summary: "s", compactedFrom: 10 };
    expect(forkSession(source, { at: 1 }).summary).toBeUndefined();
    expect(forkSession(source, { at: 3 }).summary).toBe("s");
  });
});

describe("exportSession / importSession", () => {
  it("redacts text and tool arguments but keeps image bytes, then imports as a new session", () => {
    const s = threeTurns();
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";
    s.messages.push({
      role: "user",
      content: [
        { type: "text", text: "my key is sk-supersecretvalue123" },
        { type: "image", mimeType: "image/png", data: png },
      ],
    });
    const doc = exportSession(s, {
      redact: <T>(v: T): T =>
        JSON.parse(JSON.stringify(v).replaceAll("sk-supersecretvalue123", "[REDACTED]")),
    });
    const text = JSON.stringify(doc);
    expect(text).not.toContain("sk-supersecretvalue123");
    expect(text).toContain(png);
    const imported = importSession(JSON.parse(text), { cwd: "/elsewhere" });
    expect(imported.id).not.toBe(s.id);
    expect(imported.cwd).toBe("/elsewhere");
    expect(imported.messages).toHaveLength(s.messages.length);
    expect(imported.metadata.importedFrom).toMatchObject({ sessionId: s.id, cwd: "/w" });
  });

  it("refuses a document that is not an export, saying where", () => {
    expect(() =>
      importSession(
        { format: "codetether.session", version: 1, exportedAt: 1, session: { id: 3 } },
        { cwd: "/w", source: "x.json" },
      ),
    ).toThrow(SessionImportError);
    expect(() => importSession([], { cwd: "/w", source: "x.json" })).toThrow(
      /x\.json: not a codetether session export/,
    );
  });
});

describe("sessionStats", () => {
  it("totals 2000 generated sessions by model and day, skips bad files and counts fork turns once", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-stats-"));
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = createSession({ cwd: "/w", model: "openai/gpt-4o", id: `ses_${i}` });
      s.messages = [
        ...turn("a", T0 + (i % 4) * DAY),
        ...turn("b", T0 + (i % 4) * DAY + 60_000, i % 2 ? "anthropic/claude" : "openai/gpt-4o"),
      ];
      writes.push(fs.writeFile(path.join(dir, `${s.id}.json`), JSON.stringify(s)));
    }
    await Promise.all(writes);
    await fs.writeFile(path.join(dir, "broken.json"), "{not json");
    const source = threeTurns();
    const fork = forkSession(source, { at: 3 });
    fork.messages.push(...turn("four", T0 + 3 * DAY));
    await fs.writeFile(path.join(dir, "fork.json"), JSON.stringify(fork));

    const stats = await sessionStats(dir, { now: T0 + 3 * DAY });
    expect(stats.skipped).toBe(1);
    expect(stats.total.sessions).toBe(2001);
    expect(stats.total.turns).toBe(4001);
    expect(stats.total.inputTokens).toBe(40010);
    expect(stats.total.outputTokens).toBe(8002);
    expect(stats.total.cachedTokens).toBe(4001);
    expect(stats.total.cost).toBeCloseTo(2000.5);
    const claude = stats.byModel.find((m) => m.provider === "anthropic");
    expect(claude).toMatchObject({ model: "claude", sessions: 1000, turns: 1000, inputTokens: 10000 });
    expect(stats.byDay.map((d) => d.date)).toEqual(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]);
    expect(stats.byDay[0]).toMatchObject({ sessions: 500, turns: 1000 });
    expect(stats.byDay[3]).toMatchObject({ sessions: 501, turns: 1001 });

    const lastTwo = await sessionStats(dir, { now: T0 + 3 * DAY, days: 2 });
    expect(lastTwo.byDay.map((d) => d.date)).toEqual(["2026-11-22", "2026-11-23"]);
    expect(lastTwo.total.turns).toBe(2001);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("returns zeros for a missing directory", async () => {
    const stats = await sessionStats(path.join(os.tmpdir(), "ct-none-here-xyz"));
    expect(stats.total.sessions).toBe(0);
    expect(stats.byModel).toEqual([]);
  });
});
