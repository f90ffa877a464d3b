import fs from "node:fs/promises";
import path from "node:path";
import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../src/app.js";
import { createTheme } from "../src/theme.js";
import { makeHarness, waitFor } from "./fixtures.js";

const theme = createTheme("marketing", false);
let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

async function mount(h: Awaited<ReturnType<typeof makeHarness>>) {
  const r = render(<App controller={h.controller} bridge={h.bridge} theme={theme} onExit={() => {}} />);
  unmount = r.unmount;
  await new Promise((res) => setTimeout(res, 20));
  const type = async (s: string) => {
    r.stdin.write(s);
    await new Promise((res) => setTimeout(res, 20));
  };
  const frame = () => r.lastFrame() ?? "";
  return { ...r, type, frame };
}

const text = (t: string) => [
  { type: "text-delta" as const, text: t },
  { type: "finish" as const, reason: "stop" as const },
];

describe("App", () => {
  it("streams an answer with markdown and a code block, and shows the status line", async () => {
    const h = await makeHarness([text("# Title\n\nSome **bold** text.\n\n```ts\nconst x = 1;\n```\n")]);
    const ui = await mount(h);
    await ui.type("hello");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("const x = 1;") && ui.frame().includes("○ ready"), "answer");
    const f = ui.frame();
    expect(f).toContain("❯ hello");
    expect(f).toContain("Title");
    expect(f).toContain("Some bold text.");
    expect(f).toContain("╭─ ts");
    expect(f).toContain("fake/m1");
  });

  it("shows a permission prompt and deny leaves the file untouched", async () => {
    const h = await makeHarness(
      [
        [
          { type: "tool-call-start", id: "c1", name: "write" },
          {
            type: "tool-call-delta",
            id: "c1",
            argumentsDelta: JSON.stringify({ path: "a.txt", content: "new" }),
          },
          { type: "tool-call-end", id: "c1" },
          { type: "finish", reason: "tool_calls" },
        ],
        text("ok, not written"),
      ],
      [{ tool: "write", action: "ask" }],
    );
    await fs.writeFile(path.join(h.dir, "a.txt"), "old");
    const ui = await mount(h);
    await ui.type("write it");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Permission needed: write"), "permission prompt");
    expect(ui.frame()).toContain("[n] deny");
    await ui.type("n");
    await waitFor(() => ui.frame().includes("ok, not written"), "answer after deny");
    expect(ui.frame()).toContain("✗ write a.txt");
    expect(await fs.readFile(path.join(h.dir, "a.txt"), "utf8")).toBe("old");
  });

  it("allow once runs the tool and renders its diff", async () => {
    const h = await makeHarness(
      [
        [
          { type: "tool-call-start", id: "c1", name: "write" },
          {
            type: "tool-call-delta",
            id: "c1",
            argumentsDelta: JSON.stringify({ path: "b.txt", content: "hello" }),
          },
          { type: "tool-call-end", id: "c1" },
          { type: "finish", reason: "tool_calls" },
        ],
        text("written"),
      ],
      [{ tool: "write", action: "ask" }],
    );
    const ui = await mount(h);
    await ui.type("go");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Permission needed"), "prompt");
    await ui.type("y");
    await waitFor(() => ui.frame().includes("written"), "answer");
    expect(ui.frame()).toContain("✓ write b.txt");
    expect(ui.frame()).toContain("+ hello");
    expect(await fs.readFile(path.join(h.dir, "b.txt"), "utf8")).toBe("hello");
  });

  it("Esc interrupts a running turn and keeps the session", async () => {
    const h = await makeHarness([
      [
        { type: "text-delta", text: "partial " },
        { type: "text-delta", text: "<hang>" },
      ],
      text("second"),
    ]);
    const ui = await mount(h);
    await ui.type("first");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("partial"), "partial text");
    expect(ui.frame()).toContain("working");
    await ui.type("\u001B");
    await waitFor(() => ui.frame().includes("Interrupted"), "interrupt");
    const id = h.controller.snapshot.sessionId;
    await ui.type("again");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("second"), "second answer");
    expect(h.controller.snapshot.sessionId).toBe(id);
    const saved = await h.store.load(id);
    expect(saved.messages.filter((m) => m.role === "user")).toHaveLength(2);
  });

  it("? shows help with every command, /model picks a model, history recalls prompts", async () => {
    const h = await makeHarness([text("a1"), text("a2")]);
    const ui = await mount(h);
    await ui.type("?");
    await waitFor(() => ui.frame().includes("Keys") && ui.frame().includes("Enter"), "help page one");
    await ui.type("\u001B[6~"); // PgDn
    await ui.type("\u001B[6~");
    await waitFor(() => ui.frame().includes("/quit") && ui.frame().includes("closes this help"), "help end");
    await ui.type("\u001B");
    await ui.type("/model");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Pick a model"), "picker");
    expect(ui.frame()).toContain("other/big");
    await ui.type("big");
    await ui.type("\r");
    await waitFor(() => h.controller.snapshot.model === "other/big", "model switch");
    await waitFor(() => ui.frame().includes("Model: other/big"), "model notice");
    await ui.type("/model fake/m1");
    await ui.type("\r");
    await waitFor(() => h.controller.snapshot.model === "fake/m1", "model by arg");
    await ui.type("/modle");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes('Unknown command "/modle"'), "unknown command");
    expect(ui.frame()).toContain("/model");
    await ui.type("first prompt");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("a1") && !h.controller.running, "a1");
    await ui.type("\u001B[A");
    await waitFor(() => ui.frame().includes("› first prompt"), "history recall");
  });

  it("Ctrl+J inserts a new line instead of sending", async () => {
    const h = await makeHarness([text("multi ok")]);
    const ui = await mount(h);
    await ui.type("line one");
    await ui.type("\n");
    await ui.type("line two");
    expect(h.controller.snapshot.transcript.entries).toHaveLength(0);
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("multi ok"), "answer");
    expect(h.controller.snapshot.transcript.entries[0]).toEqual({ kind: "user", text: "line one\nline two" });
  });

  it("/sessions resumes a saved session and /new starts a fresh one", async () => {
    const h = await makeHarness([text("remember me")]);
    const ui = await mount(h);
    await ui.type("old chat");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("remember me") && !h.controller.running, "answer");
    const oldId = h.controller.snapshot.sessionId;
    await ui.type("/new");
    await ui.type("\r");
    await waitFor(() => h.controller.snapshot.sessionId !== oldId, "new session");
    await waitFor(() => !ui.frame().includes("remember me"), "cleared transcript");
    await ui.type("/sessions");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Resume a session"), "session picker");
    expect(ui.frame()).toContain("old chat");
    await ui.type("\r");
    await waitFor(() => h.controller.snapshot.sessionId === oldId, "resumed");
    await waitFor(() => ui.frame().includes("remember me"), "resumed transcript");
  });

  it("/inspector shows raw events and tokens per step", async () => {
    const h = await makeHarness([text("x")]);
    const ui = await mount(h);
    await ui.type("hi");
    await ui.type("\r");
    await waitFor(
      () => !h.controller.running && h.controller.snapshot.transcript.steps.length === 1,
      "turn end",
    );
    await ui.type("/inspector");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Tokens per step"), "inspector");
    expect(ui.frame()).toContain('"type":"turn-start"');
  });

  it("a question tool prompt takes a numbered option or a typed answer", async () => {
    const call = (id: string, args: object) => [
      { type: "tool-call-start" as const, id, name: "ask_user" },
      { type: "tool-call-delta" as const, id, argumentsDelta: JSON.stringify(args) },
      { type: "tool-call-end" as const, id },
      { type: "finish" as const, reason: "tool_calls" as const },
    ];
    const h = await makeHarness([
      call("q1", { question: "Which colour?", options: ["red", "blue"] }),
      call("q2", { question: "Your name?" }),
      text("thanks"),
    ]);
    const ui = await mount(h);
    await ui.type("ask me");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Question: Which colour?"), "first question");
    expect(ui.frame()).toContain("[2] blue");
    await ui.type("2");
    await waitFor(() => ui.frame().includes("Question: Your name?"), "second question");
    await ui.type("Ada");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("thanks"), "answer");
    const outputs = h.controller.snapshot.transcript.entries.flatMap((e) =>
      e.kind === "tool" ? [e.output] : [],
    );
    expect(outputs).toEqual(["user said: blue", "user said: Ada"]);
  });

  it("/compact summarises the session with the model and saves it", async () => {
    const h = await makeHarness([text("first"), text("second"), text("SUMMARY OF THE CHAT")]);
    const ui = await mount(h);
    for (const p of ["one", "two"]) {
      await ui.type(p);
      await ui.type("\r");
      await waitFor(() => !h.controller.running && ui.frame().includes(p === "one" ? "first" : "second"), p);
    }
    await ui.type("/compact");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Compacted (summarized)"), "compaction notice");
    const saved = await h.store.load(h.controller.snapshot.sessionId);
    expect(saved.summary).toContain("SUMMARY OF THE CHAT");
  });

  it("unknown /theme is reported; /theme switches; Ctrl+B toggles the webview layout", async () => {
    const h = await makeHarness([]);
    const ui = await mount(h);
    await ui.type("/theme neon");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes('Unknown theme "neon"'), "theme error");
    await ui.type("/theme light");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Theme: light"), "theme switch");
    await ui.type("\u0002");
    await waitFor(() => ui.frame().includes("╭"), "webview border");
    expect(ui.frame()).toContain("webview");
  });

  it("model and tool output cannot inject terminal escape sequences", async () => {
    const evil = "\u001B]0;pwned\u0007\u001B[2Jsafe \u001B]52;c;aGk=\u0007text\u009B31m";
    const h = await makeHarness([
      [
        { type: "text-delta", text: evil },
        { type: "tool-call-start", id: "c1", name: "write" },
        {
          type: "tool-call-delta",
          id: "c1",
          argumentsDelta: JSON.stringify({ path: "e.txt", content: evil }),
        },
        { type: "tool-call-end", id: "c1" },
        { type: "finish", reason: "tool_calls" },
      ],
      text(evil),
    ]);
    const ui = await mount(h);
    await ui.type("go");
    await ui.type("\r");
    await waitFor(
      () => !h.controller.running && h.controller.snapshot.transcript.steps.length === 2,
      "turn end",
    );
    await ui.type("/inspector");
    await ui.type("\r");
    await waitFor(() => ui.frame().includes("Tokens per step"), "inspector");
    const frames = [...ui.frames].join("");
    expect(frames).toContain("safe text");
    for (const bad of ["\u001B]", "\u0007", "\u009B", "\u001B[2J"]) expect(frames).not.toContain(bad);
  });
});
