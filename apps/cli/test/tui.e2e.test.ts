import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BIN } from "./helpers.js";
import { DEFAULT_TUI_ARGS, useTmuxTui } from "./tui-helpers.js";

const run = promisify(execFile);
const setup = useTmuxTui();

describe("codetether tui in tmux against the scripted OpenAI server", () => {
  it("streams an answer, renders a tool call with its diff, and quits with exit code 0", async () => {
    const { work, open } = await setup([
      { toolCalls: [{ name: "write", arguments: { path: "hello.txt", content: "hi there\n" } }] },
      { text: "Done. The file **hello.txt** is written:\n\n```js\nconsole.log(1)\n```", delayMs: 5 },
    ]);
    const tui = await open();
    await tui.type("write hello.txt");
    await tui.keys("Enter");
    const screen = await tui.waitFor(
      (s) => s.includes("console.log(1)") && s.includes("○ ready"),
      "the answer",
    );
    expect(screen).toContain("❯ write hello.txt");
    expect(screen).toContain("✓ write hello.txt");
    expect(screen).toContain("+ hi there");
    expect(screen).toContain("Done. The file hello.txt is written:");
    expect(screen).toContain("openai/gpt-4o");
    expect(await fs.readFile(path.join(work, "hello.txt"), "utf8")).toBe("hi there\n");
    await tui.type("/quit");
    await tui.keys("Enter");
    expect(await tui.waitForExit()).toBe(0);
  });

  it("the model picker switches the model used for the next request", async () => {
    const { open, lastChatBody } = await setup([{ text: "answer from mini" }]);
    const tui = await open();
    await tui.type("/model");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("Pick a model"), "the model picker");
    await tui.type("4o-mini");
    await tui.waitFor((s) => s.includes("❯ openai/gpt-4o-mini"), "the filtered model");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("Model: openai/gpt-4o-mini"), "the switch notice");
    await tui.type("which model?");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("answer from mini"), "the answer");
    expect(lastChatBody<{ model: string }>().model).toBe("gpt-4o-mini");
  });

  it("resumes a session saved by an earlier TUI run", async () => {
    const { open, lastChatBody } = await setup([{ text: "first answer ok" }, { text: "second answer ok" }]);
    const first = await open();
    await first.type("remember the number 42");
    await first.keys("Enter");
    await first.waitFor((s) => s.includes("first answer ok") && s.includes("○ ready"), "the first answer");
    await first.keys("C-d");
    expect(await first.waitForExit()).toBe(0);
    const second = await open();
    await second.type("/sessions");
    await second.keys("Enter");
    await second.waitFor(
      (s) => s.includes("Resume a session") && s.includes("remember the number 42"),
      "picker",
    );
    await second.keys("Enter");
    await second.waitFor((s) => s.includes("first answer ok"), "the resumed transcript");
    await second.type("and now?");
    await second.keys("Enter");
    await second.waitFor((s) => s.includes("second answer ok"), "the second answer");
    const body = lastChatBody<{ messages: Array<{ role: string; content: unknown }> }>();
    const texts = body.messages.map((m) => JSON.stringify(m.content));
    expect(texts.some((t) => t.includes("remember the number 42"))).toBe(true);
    expect(texts.some((t) => t.includes("first answer ok"))).toBe(true);
  });

  it("a permission prompt for an ask rule denies the write and leaves the file untouched", async () => {
    const { work, open, lastChatBody } = await setup(
      [
        { toolCalls: [{ name: "write", arguments: { path: "keep.txt", content: "overwritten" } }] },
        { text: "understood, not written" },
      ],
      { config: '[[permissions.rules]]\ntool = "write"\naction = "ask"\n' },
    );
    await fs.writeFile(path.join(work, "keep.txt"), "original");
    const tui = await open();
    await tui.type("overwrite keep.txt");
    await tui.keys("Enter");
    const prompt = await tui.waitFor((s) => s.includes("Permission needed: write"), "the permission prompt");
    expect(prompt).toContain("[y] allow once");
    expect(prompt).toContain("[a] always allow");
    expect(prompt).toContain("keep.txt");
    await tui.type("n");
    const screen = await tui.waitFor((s) => s.includes("understood, not written"), "the answer after deny");
    expect(screen).toContain("✗ write keep.txt");
    expect(await fs.readFile(path.join(work, "keep.txt"), "utf8")).toBe("original");
    const toolMessage = lastChatBody<{ messages: Array<{ role: string; content: string }> }>().messages.at(
      -1,
    );
    expect(toolMessage?.role).toBe("tool");
    expect(toolMessage?.content).toContain("denied");
  });

  it("the question tool asks in the TUI and the answer reaches the model", async () => {
    const { open, lastChatBody } = await setup([
      {
        toolCalls: [
          { name: "question", arguments: { question: "Which database?", options: ["sqlite", "postgres"] } },
        ],
      },
      { text: "Going with the answer." },
    ]);
    const tui = await open();
    await tui.type("set up storage");
    await tui.keys("Enter");
    const prompt = await tui.waitFor((s) => s.includes("Question: Which database?"), "the question");
    expect(prompt).toContain("[2] postgres");
    await tui.type("2");
    await tui.waitFor((s) => s.includes("Going with the answer."), "the answer");
    const last = lastChatBody<{ messages: Array<{ role: string; content: string }> }>().messages.at(-1);
    expect(last?.role).toBe("tool");
    expect(last?.content).toContain("The user answered: postgres");
  });

  it("Esc interrupts a streaming answer and the session continues", async () => {
    const { open } = await setup([
      { text: Array.from({ length: 200 }, (_, i) => `word${i}`).join(" "), delayMs: 100 },
      { text: "after the interrupt" },
    ]);
    const tui = await open();
    await tui.type("long story");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("word2"), "streaming to start");
    await tui.keys("Escape");
    await tui.waitFor((s) => s.includes("Interrupted") && s.includes("○ ready"), "the interrupt");
    await tui.type("go on");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("after the interrupt"), "the next answer");
  });

  it("hot-reloads [ui] theme when the config file changes, and NO_COLOR turns colours off", async () => {
    const box = await setup([], { config: '[ui]\ntheme = "marketing"\n' });
    const colorEnv: Record<string, string> = { ...box.env };
    delete colorEnv.NO_COLOR;
    const tui = await box.start(DEFAULT_TUI_ARGS, { env: colorEnv });
    const cyan = "38;2;0;229;255"; // marketing accent #00e5ff
    const blue = "38;2;97;175;239"; // dark accent #61afef
    const first = await tui.waitFor((s) => s.includes("ready") && s.includes(cyan), "marketing colours", {
      escapes: true,
    });
    expect(first).not.toContain(blue);
    const file = path.join(box.dir, "config", "codetether", "config.toml");
    await fs.writeFile(`${file}.tmp`, '[ui]\ntheme = "dark"\n');
    await fs.rename(`${file}.tmp`, file);
    await tui.waitFor((s) => s.includes(blue) && !s.includes(cyan), "dark colours after the config change", {
      escapes: true,
    });

    const plain = await box.open();
    expect(await plain.capture({ escapes: true })).not.toContain("38;2;");
  });

  it("fits a narrow terminal: short status line, no sidebar", async () => {
    const { open } = await setup([{ text: "narrow answer" }]);
    const tui = await open(["tui", "--model", "openai/gpt-4o", "--layout", "webview"], { width: 50 });
    await tui.type("hi");
    await tui.keys("Enter");
    const screen = await tui.waitFor((s) => s.includes("narrow answer") && s.includes("○ ready"), "answer");
    for (const line of screen.split("\n")) expect(line.length).toBeLessThanOrEqual(50);
    expect(screen).not.toContain("ctx ");
    expect(screen).not.toContain("Session");
  });

  it("/swarm runs sub-agents with live per-agent progress; Tab switches the agent detail", async () => {
    const plan = {
      subtasks: [
        { name: "alpha", instruction: "look at alpha" },
        { name: "beta", instruction: "look at beta" },
      ],
    };
    const { open } = await setup([
      { text: JSON.stringify(plan) },
      { text: "sub-agent report one" },
      { text: "sub-agent report two" },
      { text: "SWARM SYNTHESIS DONE" },
    ]);
    const tui = await open();
    await tui.type("/swarm check alpha and beta");
    await tui.keys("Enter");
    const screen = await tui.waitFor((s) => s.includes("SWARM SYNTHESIS DONE"), "the swarm to finish");
    expect(screen).toContain("task: check alpha and beta");
    expect(screen).toContain("2/2 sub-agents done");
    expect(screen).toContain("❯ ✓ alpha");
    expect(screen).toContain("Agent alpha — completed");
    await tui.keys("Tab");
    await tui.waitFor((s) => s.includes("Agent beta — completed") && s.includes("❯ ✓ beta"), "Tab to beta");
    await tui.keys("Escape");
    await tui.waitFor((s) => !s.includes("Agent beta"), "back to chat");
    await tui.keys("C-s");
    await tui.waitFor((s) => s.includes("Agent beta — completed"), "Ctrl+S reopens the swarm view");
  });

  it("/ralph shows per-story progress of a PRD", async () => {
    const { work, open } = await setup([]);
    const prd = {
      project: "demo",
      feature: "Login",
      branch_name: "feature/login",
      user_stories: [
        {
          id: "US-001",
          title: "Login form",
          description: "d",
          acceptance_criteria: ["a"],
          passes: true,
          priority: 1,
        },
        {
          id: "US-002",
          title: "Session cookie",
          description: "d",
          acceptance_criteria: ["a"],
          passes: false,
          priority: 2,
          dependencies: ["US-003"],
        },
        {
          id: "US-003",
          title: "Logout",
          description: "d",
          acceptance_criteria: ["a"],
          passes: false,
          priority: 3,
        },
      ],
    };
    await fs.writeFile(path.join(work, "prd.json"), JSON.stringify(prd));
    const tui = await open();
    await tui.type("/ralph");
    await tui.keys("Enter");
    const screen = await tui.waitFor((s) => s.includes("Ralph — demo: Login"), "the Ralph view");
    expect(screen).toContain("1/3 stories pass");
    expect(screen).toContain("[x] US-001  Login form");
    expect(screen).toContain("[-] US-002  Session cookie");
    expect(screen).toContain("waiting on US-003");
    expect(screen).toContain("[ ] US-003  Logout");
    await tui.type("/ralph missing.json");
    await tui.keys("Enter");
    await tui.waitFor((s) => /No PRD at \S*missing\.json/.test(s), "an error naming the missing PRD");
  });

  it("model output cannot retitle the terminal or inject escape sequences", async () => {
    const { open } = await setup([
      {
        text: "\u001B]2;pwned-title\u0007\u001B]52;c;cHduZWQ=\u0007visible \u001B[2Jafter-clear",
        chunkSize: 7,
      },
    ]);
    const tui = await open();
    await tui.type("hello");
    await tui.keys("Enter");
    const screen = await tui.waitFor(
      (s) => s.includes("visible after-clear") && s.includes("○ ready"),
      "the answer",
    );
    expect(screen).toContain("❯ hello");
    expect(await tui.paneTitle()).not.toContain("pwned-title");
  });

  it("rejects bad options with exit code 2 and says what to do", async () => {
    const { work, env, dir, start } = await setup([]);
    const theme = await run(process.execPath, [BIN, "tui", "--theme", "neon"], { cwd: work, env }).catch(
      (e) => e,
    );
    expect(theme.code).toBe(2);
    expect(theme.stderr).toContain('Unknown theme "neon". Themes: marketing, dark, light');
    const tui = await start([...DEFAULT_TUI_ARGS, "--session", "no-such-session"]);
    expect(await tui.waitForExit()).toBe(2);
    expect(await tui.capture({ joinWrapped: true })).toContain('No session "no-such-session"');
    await fs.mkdir(path.join(dir, "config", "codetether"), { recursive: true });
    await fs.writeFile(path.join(dir, "config", "codetether", "config.toml"), '[ui]\ntheme = "neon"\n');
    const bad = await start(DEFAULT_TUI_ARGS);
    expect(await bad.waitForExit()).toBe(2);
    expect(await bad.capture({ joinWrapped: true })).toContain("ui.theme");
  });

  it("refuses to start without a terminal, with a clear message and exit code 2", async () => {
    const { work, env } = await setup([]);
    const res = await run(process.execPath, [BIN, "tui"], { cwd: work, env }).catch((e) => e);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("needs an interactive terminal");
  });
});
