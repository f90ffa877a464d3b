import fs from "node:fs/promises";
import path from "node:path";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { TmuxSession } from "@codetether/tui/testing";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, makeSandbox } from "./helpers.js";

let server: ScriptedOpenAI | undefined;
const sessions: TmuxSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.kill();
  await server?.close();
  server = undefined;
});

describe("tui /rewind (tmux, scripted model)", () => {
  it("the picker rewinds files and conversation to a turn; the next request no longer has the later turn", async () => {
    server = await startScriptedOpenAI([
      { toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "first\n" } }] },
      { text: "wrote first" },
      { toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "second\n" } }] },
      { text: "wrote second" },
      { text: "fresh answer" },
    ]);
    const box = await makeSandbox();
    await fs.writeFile(path.join(box.work, "notes.txt"), "user notes\n");
    const env = {
      ...box.env,
      TERM: "xterm-256color",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: server.url,
    };
    const tui = new TmuxSession(env);
    sessions.push(tui);
    await tui.start([process.execPath, BIN, "tui", "--model", "openai/gpt-4o"], box.work, 120);
    await tui.waitFor((s) => s.includes("○ ready"), "the TUI to start");
    await tui.type("make it first");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("wrote first") && s.includes("○ ready"), "turn 1");
    await tui.type("make it second");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("wrote second") && s.includes("○ ready"), "turn 2");
    expect(await fs.readFile(path.join(box.work, "a.txt"), "utf8")).toBe("second\n");

    await tui.type("/rewind");
    await tui.keys("Enter");
    await tui.waitFor(
      (s) => s.includes("Rewind files and conversation") && s.includes("make it second"),
      "the picker",
    );
    // The picker starts on the turn before the last one: "undo my last prompt" is one Enter.
    await tui.waitFor((s) => s.includes("❯ 1  make it first"), "turn 1 selected");
    await tui.keys("Enter");
    const after = await tui.waitFor((s) => s.includes("Rewound to turn 1 (both)"), "the rewind notice");
    expect(after).toContain("1 file(s) restored, 4 message(s) removed");
    expect(after).not.toContain("wrote second");
    expect(await fs.readFile(path.join(box.work, "a.txt"), "utf8")).toBe("first\n");
    expect(await fs.readFile(path.join(box.work, "notes.txt"), "utf8")).toBe("user notes\n");

    await tui.type("what now?");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("fresh answer"), "the next answer");
    const body = server.requests.filter((r) => r.path.endsWith("/chat/completions")).at(-1)?.body as {
      messages: Array<{ content: unknown }>;
    };
    expect(JSON.stringify(body.messages)).toContain("make it first");
    expect(JSON.stringify(body.messages)).not.toContain("make it second");
  });
});
