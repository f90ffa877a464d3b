import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

// Not key-shaped on purpose: only the known-value redaction (the configured key) can mask it.
const KEY = "plainkeyvalue0123";

const model = useScriptedOpenAI({ apiKey: KEY });

const usage = (p: number, c: number) => ({ prompt_tokens: p, completion_tokens: c, cached_tokens: 3 });

describe("sessions: export, import, fork, stats (built binary, scripted model)", () => {
  it("exports with secrets redacted, imports as a new resumable session, forks at a turn and totals usage", async () => {
    const { dir, work, env } = await model.boxFor([
      { toolCalls: [{ name: "read", arguments: { path: "creds.txt" } }], usage: usage(100, 10) },
      { text: `the key is ${KEY}`, usage: usage(120, 5) },
      { text: "second turn answer", usage: usage(200, 7) },
      { text: "continued after import", usage: usage(50, 1) },
      { text: "continued the fork", usage: usage(40, 2) },
    ]);
    await fs.writeFile(path.join(work, "creds.txt"), `OPENAI_API_KEY=${KEY}\n`);
    const m = ["--model", "openai/gpt-4o"];
    const first = await runCli(["run", "--json", ...m, "read creds.txt"], { cwd: work, env });
    expect(first.code).toBe(0);
    const id = JSON.parse(first.stdout.trim().split("\n").at(-1) as string).sessionId as string;
    expect((await runCli(["run", "-s", id, ...m, "and then?"], { cwd: work, env })).code).toBe(0);

    // export: stdout and -o file, the key never appears, tool calls/results/usage/model are all there.
    const out = await runCli(["export", id], { cwd: work, env });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain(KEY);
    const doc = JSON.parse(out.stdout);
    expect(doc).toMatchObject({
      format: "codetether.session",
      version: 1,
      session: { id, model: "openai/gpt-4o" },
    });
    expect(doc.session.usage).toMatchObject({ promptTokens: 420, completionTokens: 22 });
    const parts = doc.session.messages.flatMap((msg: { content: Array<{ type: string }> }) => msg.content);
    expect(parts.find((p: { type: string }) => p.type === "tool_call")).toMatchObject({ name: "read" });
    expect(JSON.stringify(parts.find((p: { type: string }) => p.type === "tool_result"))).toContain(
      "[REDACTED]",
    );
    const file = path.join(dir, "export.json");
    const toFile = await runCli(["export", id, "-o", file], { cwd: work, env });
    expect(toFile.code).toBe(0);
    const written = JSON.parse(await fs.readFile(file, "utf8"));
    expect({ ...written, exportedAt: 0 }).toEqual({ ...doc, exportedAt: 0 });

    // import into another directory: a new id, listed there, and `run -s` continues it with the history.
    const other = path.join(dir, "other");
    await fs.mkdir(other);
    const imp = await runCli(["import", file], { cwd: other, env });
    expect(imp.code).toBe(0);
    const newId = imp.stdout.trim();
    expect(newId).not.toBe(id);
    const listed = JSON.parse((await runCli(["sessions", "--json"], { cwd: other, env })).stdout);
    expect(listed.map((s: { id: string }) => s.id)).toEqual([newId]);
    const cont = await runCli(["run", "-s", newId, ...m, "after import"], { cwd: other, env });
    expect(cont.code).toBe(0);
    expect(cont.stdout).toBe("continued after import\n");
    const seen = model.chatRequests().at(-1)?.body as { messages: Array<{ role: string }> };
    expect(seen.messages.map((x) => x.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
      "assistant",
      "user",
    ]);

    // fork at turn 1: only the first turn's history goes to the model.
    const fork = await runCli(["sessions", "fork", id, "--at", "1"], { cwd: work, env });
    expect(fork.code).toBe(0);
    const forkId = fork.stdout.trim();
    expect((await runCli(["run", "-s", forkId, ...m, "fork it"], { cwd: work, env })).stdout).toBe(
      "continued the fork\n",
    );
    const forkSeen = model.chatRequests().at(-1)?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(forkSeen.messages.map((x) => x.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
    ]);
    expect(JSON.stringify(forkSeen.messages)).not.toContain("and then?");

    // stats: 3 sessions; turns 2 (source) + 3 (import: 2 inherited copy + 1) + 1 (fork, its copied turn not recounted).
    const stats = await runCli(["stats", "--json"], { cwd: work, env });
    expect(stats.code).toBe(0);
    const s = JSON.parse(stats.stdout);
    expect(s.total).toMatchObject({
      sessions: 3,
      turns: 6,
      inputTokens: 420 * 2 + 50 + 40,
      outputTokens: 22 * 2 + 1 + 2,
      cachedTokens: 3 * 8,
    });
    expect(s.byModel).toEqual([
      expect.objectContaining({ provider: "openai", model: "gpt-4o", sessions: 3 }),
    ]);
    const text = await runCli(["stats", "--days", "7"], { cwd: work, env });
    expect(text.stdout).toContain("openai/gpt-4o");
    expect(text.stdout).toMatch(/last 7 days: 3 sessions, 6 turns/);
  });

  it("refuses bad input with exit 2 and a message that says what to do", async () => {
    const { dir, work, env } = await model.boxFor([]);
    const bad = path.join(dir, "bad.json");
    await fs.writeFile(
      bad,
      JSON.stringify({ format: "codetether.session", version: 1, exportedAt: 1, session: { id: "x" } }),
    );
    const imp = await runCli(["import", bad], { cwd: work, env });
    expect(imp.code).toBe(2);
    expect(imp.stderr).toMatch(/not a codetether session export \(at session\.\w+/);
    const missing = await runCli(["export", "ses_nope"], { cwd: work, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No session "ses_nope"');
    const none = await runCli(["export"], { cwd: work, env });
    expect(none.code).toBe(2);
    const empty = await runCli(["stats"], { cwd: work, env });
    expect(empty.stdout).toBe("No sessions (all time).\n");
  });
});
