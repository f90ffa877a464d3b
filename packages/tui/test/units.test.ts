import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Session } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { parseSlash } from "../src/commands.js";
import * as input from "../src/state/input-state.js";
import { PromptBridge } from "../src/state/prompt-bridge.js";
import { applyEvent, emptyTranscript, transcriptFromSession } from "../src/state/transcript.js";
import { colorEnabled, createTheme, isThemeName, THEME_NAMES } from "../src/theme.js";
import { watchThemeConfig } from "../src/theme-watch.js";
import { renderMarkdown } from "../src/view/markdown.js";
import { statusText } from "../src/view/status-line.js";

const ESC = "\u001B[";

describe("themes", () => {
  it("offers the five themes, marketing first, and rejects others", () => {
    expect(THEME_NAMES).toEqual(["marketing", "dark", "light", "solarized-dark", "solarized-light"]);
    expect(isThemeName("dark")).toBe(true);
    expect(isThemeName("neon")).toBe(false);
  });

  it("NO_COLOR, TERM=dumb and non-TTY output turn colour off", () => {
    expect(colorEnabled({})).toBe(true);
    expect(colorEnabled({ NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ TERM: "dumb" })).toBe(false);
    expect(colorEnabled({}, false)).toBe(false);
    expect(createTheme("marketing", false).accent("x")).toBe("x");
    expect(createTheme("marketing", true).accent("x")).toContain("\u001B[38;2;0;229;255m");
  });

  it("markdown without colour has no escape codes, and code blocks are highlighted with colour", () => {
    const md = "# Head\n\n- item `code`\n\n```ts\nconst a = 1;\n```";
    const plain = renderMarkdown(md, createTheme("dark", false), 80).join("\n");
    expect(plain).not.toContain(ESC);
    expect(plain).toContain("• item code");
    expect(plain).toContain("│ const a = 1;");
    const colored = renderMarkdown(md, createTheme("dark", true), 80).join("\n");
    expect(colored).toContain(ESC);
    // An unclosed fence while streaming still renders as code.
    expect(renderMarkdown("```py\nprint(1)", createTheme("dark", false), 80).join("\n")).toContain(
      "│ print(1)",
    );
  });

  it("wraps long lines to the terminal width", () => {
    const lines = renderMarkdown("word ".repeat(40), createTheme("dark", false), 30);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(30);
  });
});

describe("input box state", () => {
  it("keeps a history and the unsent draft", () => {
    let s = input.emptyInput();
    for (const p of ["one", "two"]) s = input.submit(input.insertText(s, p)).next;
    s = input.insertText(s, "draft");
    s = input.historyUp(s);
    expect(s.text).toBe("two");
    s = input.historyUp(input.historyUp(s));
    expect(s.text).toBe("one");
    s = input.historyDown(input.historyDown(s));
    expect(s.text).toBe("draft");
  });

  it("edits at the cursor and normalises pasted CRLF", () => {
    let s = input.insertText(input.emptyInput(), "ac");
    s = input.insertText(input.moveCursor(s, -1), "b");
    expect(s.text).toBe("abc");
    s = input.backspace(s);
    expect(s.text).toBe("ac");
    expect(input.insertText(input.emptyInput(), "a\r\nb\rc").text).toBe("a\nb\nc");
  });
});

describe("help", () => {
  it("lists every key and every command", async () => {
    const { helpLines } = await import("../src/view/help-view.js");
    const text = helpLines(createTheme("dark", false)).join("\n");
    for (const item of [
      "Enter",
      "Ctrl+J",
      "Up / Down",
      "Esc",
      "Alt+k",
      "PgUp",
      "Ctrl+O",
      "Ctrl+B",
      "Ctrl+M",
      "Ctrl+S",
      "F2",
      "Tab",
      "?",
    ])
      expect(text).toContain(item);
    for (const cmd of [
      "/model",
      "/sessions",
      "/resume",
      "/new",
      "/compact",
      "/inspector",
      "/view",
      "/webview",
      "/classic",
      "/refresh",
      "/theme",
      "/swarm",
      "/ralph",
      "/quit",
    ])
      expect(text).toContain(cmd);
  });
});

describe("slash commands", () => {
  it("parses names and arguments; // escapes a leading slash", () => {
    expect(parseSlash("/model openai/gpt-4o")).toEqual({ name: "model", arg: "openai/gpt-4o" });
    expect(parseSlash("  /NEW ")).toEqual({ name: "new", arg: "" });
    expect(parseSlash("hello /model")).toBeUndefined();
    expect(parseSlash("//etc/passwd is a path")).toBeUndefined();
  });
});

describe("PromptBridge", () => {
  it("answers prompts in order and cancelAll denies what is pending", async () => {
    const bridge = new PromptBridge();
    const a = bridge.permission({ toolId: "write", kind: "write", args: {}, paths: [] });
    const b = bridge.ask({ question: "Which?" });
    const c = bridge.permission({ toolId: "bash", kind: "exec", args: {}, paths: [] });
    expect(bridge.current?.kind).toBe("permission");
    bridge.answerQuestion("ignored: not the head");
    bridge.answerPermission("always");
    expect(await a).toBe("always");
    bridge.answerQuestion("this one");
    expect(await b).toBe("this one");
    bridge.cancelAll();
    expect(await c).toBe("deny");
    expect(bridge.current).toBeUndefined();
  });
});

describe("transcript", () => {
  it("folds streaming events into entries, usage and steps", () => {
    let s = emptyTranscript();
    s = applyEvent(s, { type: "turn-start", sessionId: "s", model: "p/m" });
    s = applyEvent(s, { type: "text-delta", text: "Hel" });
    s = applyEvent(s, { type: "text-delta", text: "lo" });
    s = applyEvent(s, { type: "tool-start", callId: "c", tool: "bash", args: { command: "ls" } });
    s = applyEvent(s, {
      type: "tool-progress",
      callId: "c",
      tool: "bash",
      event: { type: "output", text: "a\n" },
    });
    const usage = { promptTokens: 10, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };
    s = applyEvent(s, { type: "usage", step: 1, usage, total: usage });
    s = applyEvent(s, {
      type: "tool-end",
      callId: "c",
      tool: "bash",
      result: { output: "a\nb", isError: true },
      durationMs: 3,
    });
    s = applyEvent(s, { type: "done", sessionId: "s", text: "Hello", reason: "stop", steps: 1, usage });
    expect(s.running).toBe(false);
    expect(s.entries[0]).toEqual({ kind: "assistant", text: "Hello", thinking: "" });
    expect(s.entries[1]).toMatchObject({ kind: "tool", status: "error", output: "a\nb", progress: "a\n" });
    expect(s.steps).toEqual([{ step: 1, input: 10, output: 5 }]);
  });

  it("rebuilds a saved session with tool results", () => {
    const session = {
      id: "s1",
      title: "t",
      cwd: "/",
      createdAt: 0,
      updatedAt: 0,
      messages: [
        { role: "user", content: [{ type: "text", text: "hi" }] },
        {
          role: "assistant",
          content: [{ type: "tool_call", id: "c1", name: "read", arguments: '{"path":"a"}' }],
        },
        {
          role: "tool",
          content: [{ type: "tool_result", tool_call_id: "c1", content: "A", is_error: false }],
        },
        { role: "assistant", content: [{ type: "text", text: "done" }] },
      ],
      usage: { promptTokens: 1, completionTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 },
      metadata: {},
    } as unknown as Session;
    const t = transcriptFromSession(session);
    expect(t.entries.map((e) => e.kind)).toEqual(["user", "tool", "assistant"]);
    expect(t.entries[1]).toMatchObject({ tool: "read", args: { path: "a" }, output: "A" });
  });
});

describe("status line", () => {
  const state = {
    transcript: {
      ...emptyTranscript(),
      total: {
        promptTokens: 12_000,
        completionTokens: 300,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cost: 0.0123,
      },
      steps: [{ step: 1, input: 12_000, output: 300 }],
    },
    model: "openai/gpt-4o",
    modelInfo: { id: "gpt-4o", contextWindow: 128_000 } as never,
    sessionId: "s",
    title: "t",
  };
  it("shows model, tokens, cost and context use; narrow terminals get the short form", () => {
    const wide = statusText(state, 120, "classic");
    expect(wide).toContain("openai/gpt-4o");
    expect(wide).toContain("12.0k in / 300 out");
    expect(wide).toContain("$0.0123");
    expect(wide).toContain("ctx 10%");
    const narrow = statusText(state, 50, "classic");
    expect(narrow).not.toContain("ctx");
    expect(narrow.length).toBeLessThan(50);
  });
});

describe("theme hot reload", () => {
  it("reports a changed [ui] theme after an atomic rewrite, and ignores invalid configs", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-tui-theme-"));
    const file = path.join(dir, "config.toml");
    await fs.writeFile(file, 'theme = "marketing"\n');
    const read = () => {
      const m = /theme = "([^"]*)"/.exec(readFileSync(file, "utf8"));
      if (!m || !isThemeName(m[1])) throw new Error("invalid");
      return m[1];
    };
    const seen: string[] = [];
    const stop = watchThemeConfig([file], read, (name) => seen.push(name));
    try {
      await fs.writeFile(`${file}.tmp`, 'theme = "neon"\n');
      await fs.rename(`${file}.tmp`, file);
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toEqual([]);
      await fs.writeFile(`${file}.tmp`, 'theme = "solarized-light"\n');
      await fs.rename(`${file}.tmp`, file);
      const deadline = Date.now() + 5000;
      while (!seen.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual(["solarized-light"]);
    } finally {
      stop();
    }
  });
});

describe("terminal escape injection", () => {
  it("strips escape sequences and control characters from untrusted text", async () => {
    const { sanitizeTerminalText } = await import("../src/view/sanitize.js");
    const attacks = [
      "\u001B]0;pwned\u0007", // window title
      "\u001B]52;c;ZWNobyBwd25lZA==\u0007", // clipboard write
      "\u001B[2J\u001B[H", // clear screen, cursor home
      "\u001B]8;;http://evil\u001B\\link\u001B]8;;\u001B\\", // hyperlink
      "\u009B31m", // 8-bit CSI
      "\u009D0;t\u009C", // 8-bit OSC
      "\u001BPdcs\u001B\\", // DCS
      "\u001Bc", // full reset
      "a\rb\u0008\u007F",
    ];
    for (const attack of attacks) {
      const out = sanitizeTerminalText(`x${attack}y`);
      const controls = [...out].filter((c) => {
        const code = c.charCodeAt(0);
        return (code < 0x20 && c !== "\n" && c !== "\t") || (code >= 0x7f && code <= 0x9f);
      });
      expect(controls).toEqual([]);
    }
    expect(sanitizeTerminalText("\u001B]8;;http://evil\u001B\\link\u001B]8;;\u001B\\")).toBe("link");
    expect(sanitizeTerminalText("keep\ttabs\nand lines")).toBe("keep\ttabs\nand lines");
  });
});
