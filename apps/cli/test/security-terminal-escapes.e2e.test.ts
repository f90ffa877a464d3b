import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { startServe, useServeCleanup, waitFor } from "./serve-helpers.js";
import { useTmuxTui } from "./tui-helpers.js";

/**
 * Text a model, a tool or a remote A2A agent controls must not drive the user's terminal: an escape sequence
 * could write the clipboard (OSC 52), retitle the window, plant a hyperlink, erase or rewrite lines already
 * printed (so what was run looks different from what is shown), and bidi overrides reorder what is displayed.
 * The attacks are printed by the real CLI (`run`, `a2a send`); none may reach stdout or stderr.
 */

const ESC = "\u001B";
const ATTACKS = [
  `${ESC}]52;c;cm0gLXJmIH4K${ESC}\\`, // OSC 52: write "rm -rf ~" to the clipboard
  `${ESC}]0;pwned\u0007`, // window title
  `${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\`, // hyperlink
  `${ESC}[2K${ESC}[1A${ESC}[2K`, // erase the line above: hide what was printed
  "\u009B2J", // 8-bit CSI: clear the screen
  "\u202Etxt.exe\u202C", // bidi override: reorders what is displayed
].join("");

/** Terminal controls left in `text`: ESC, BEL, other C0 controls but newline and tab, C1 controls, bidi overrides. */
function controlsIn(text: string): string[] {
  return [...text].filter((c) => {
    const code = c.codePointAt(0) ?? 0;
    return (
      (code < 0x20 && c !== "\n" && c !== "\t") ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}

const scripted = useScriptedOpenAI();
const { children, serveBox } = useServeCleanup();
const tuiWorld = useTmuxTui();

describe("terminal escape injection", () => {
  it("run: the model's answer, a tool's arguments and its error reach the terminal without escape sequences", async () => {
    const box = await scripted.boxFor([
      { toolCalls: [{ name: "read", arguments: { path: `missing${ATTACKS}.txt` } }] },
      { text: `The answer${ATTACKS} is 42.` },
    ]);
    const res = await runCli(["run", "-m", "openai/gpt-4o", "what is the answer?"], {
      cwd: box.work,
      env: box.env,
    });
    expect(res.stderr).toContain("› read missing");
    expect(res.stdout).toContain("The answer");
    expect(res.stdout).toContain("is 42.");
    expect(controlsIn(res.stdout)).toEqual([]);
    expect(controlsIn(res.stderr)).toEqual([]);
    expect(res.code).toBe(0);
    // The audit trail of that run, printed as a table, carries the call's arguments: no escape reaches the terminal.
    const audit = await runCli(["audit", "query"], { cwd: box.work, env: box.env });
    expect(audit.stdout).toContain("tool.start");
    expect(controlsIn(audit.stdout + audit.stderr)).toEqual([]);
    const auditJson = await runCli(["audit", "query", "--json"], { cwd: box.work, env: box.env });
    expect(controlsIn(auditJson.stdout)).toEqual([]);
    expect(
      auditJson.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)).length,
    ).toBeGreaterThan(2);
  });

  it("run --json: the events are JSON a terminal can show (C1 controls and bidi overrides escaped too)", async () => {
    const box = await scripted.boxFor([{ text: `The answer${ATTACKS} is 42.` }]);
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "what is the answer?"], {
      cwd: box.work,
      env: box.env,
    });
    expect(res.code).toBe(0);
    expect(controlsIn(res.stdout)).toEqual([]);
    const events = res.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; text?: string });
    // Parsed, the text is what the model said.
    expect(events.find((e) => e.type === "done")?.text).toBe(`The answer${ATTACKS} is 42.`);
  });

  it("a2a send: a remote agent's reply reaches the terminal without escape sequences", async () => {
    const { box, env } = await serveBox([{ text: `Remote says${ATTACKS} hello.` }]);
    const serve = await startServe([], { ...env, CODETETHER_AUTH_TOKEN: "t".repeat(32) }, box.work, children);
    const sent = await runCli(["a2a", "send", "--url", serve.url, "--token", "t".repeat(32), "hi"], {
      cwd: box.work,
      env: box.env,
    });
    expect(sent.stdout).toContain("Remote says");
    expect(sent.stdout).toContain("hello.");
    expect(controlsIn(sent.stdout)).toEqual([]);
    expect(controlsIn(sent.stderr)).toEqual([]);
    expect(sent.code).toBe(0);
  });

  it("a2a send --json and sessions --json: JSON a terminal can show, parsing back to the remote agent's text", async () => {
    const { box, env } = await serveBox([{ text: `Remote says${ATTACKS} hello.` }]);
    const serve = await startServe([], { ...env, CODETETHER_AUTH_TOKEN: "t".repeat(32) }, box.work, children);
    const sent = await runCli(
      ["a2a", "send", "--json", "--url", serve.url, "--token", "t".repeat(32), "hi"],
      {
        cwd: box.work,
        env: box.env,
      },
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(controlsIn(sent.stdout)).toEqual([]);
    const events = sent.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown);
    expect(JSON.stringify(events)).toContain(JSON.stringify(`Remote says${ATTACKS} hello.`).slice(1, -1));
    const listed = await runCli(["sessions", "--json"], { cwd: box.work, env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(controlsIn(listed.stdout)).toEqual([]);
    expect(() => JSON.parse(listed.stdout)).not.toThrow();
  });

  it("sessions: a session an A2A client titled (its first message) is listed without escape sequences", async () => {
    const { box, env } = await serveBox([{ text: "ok" }]);
    const token = "t".repeat(32);
    const serve = await startServe([], { ...env, CODETETHER_AUTH_TOKEN: token }, box.work, children);
    const sent = await runCli(
      ["a2a", "send", "--url", serve.url, "--token", token, "--context", `ctx${ATTACKS}`, `hi${ATTACKS}`],
      { cwd: box.work, env: box.env },
    );
    expect(sent.code).toBe(0);
    const listed = await runCli(["sessions", "--all"], { cwd: box.work, env: box.env });
    expect(listed.stdout).toContain("a2a_ctx");
    expect(listed.stdout).toContain("hi");
    expect(controlsIn(listed.stdout)).toEqual([]);
  });

  it("a cloned repository's names (a config key, a config file's name) are shown with their controls visible", async () => {
    const box = await scripted.boxFor([]);
    await fs.mkdir(path.join(box.work, ".codetether", "agents"), { recursive: true });
    await fs.writeFile(path.join(box.work, ".codetether", "agents", `rev${ESC}[2K${ESC}[1Aiewer.md`), "hi\n");
    const trusted = await runCli(["trust", "."], { cwd: box.work, env: box.env });
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toContain("rev\\u001b[2K\\u001b[1Aiewer.md");
    expect(controlsIn(trusted.stdout + trusted.stderr)).toEqual([]);
    const listed = await runCli(["trust", "--list"], { cwd: box.work, env: box.env });
    expect(listed.stdout).toContain("rev\\u001b[2K");
    expect(controlsIn(listed.stdout + listed.stderr)).toEqual([]);

    await fs.writeFile(path.join(box.work, "codetether.toml"), '"x\\u001b]0;pwned\\u0007" = 1\n');
    const shown = await runCli(["config", "--show"], { cwd: box.work, env: box.env });
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain("unknown key `x\\u001b]0;pwned\\u0007`");
    expect(controlsIn(shown.stdout + shown.stderr)).toEqual([]);
  });

  it("serve: what an A2A client sends (request and task ids) reaches the operator's log without escape sequences", async () => {
    const box = await scripted.boxFor([]);
    const token = "t".repeat(32);
    const serve = await startServe(
      ["--a2a-conformance"],
      { ...box.env, CODETETHER_AUTH_TOKEN: token },
      box.work,
      children,
    );
    const res = await fetch(`${serve.url}/a2a`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "A2A-Version": "1.0",
        accept: "text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: `req${ATTACKS}`,
        method: "SubscribeToTask",
        params: { id: `task${ATTACKS}` },
      }),
    });
    expect(await res.text()).toContain("Task not found");
    await waitFor(() => serve.errors().includes("Task not found"), 10_000, "the logged client error");
    expect(controlsIn(serve.errors() + serve.output())).toEqual([]);
  });

  it("ralph status: a PRD the model wrote is shown without escape sequences", async () => {
    const box = await scripted.boxFor([]);
    const story = {
      id: "US-1",
      title: `Add login${ATTACKS}`,
      description: "",
      acceptance_criteria: [],
      priority: 1,
    };
    await fs.writeFile(
      path.join(box.work, "prd.json"),
      JSON.stringify({ project: `p${ATTACKS}`, feature: "f", branch_name: "", user_stories: [story] }),
    );
    for (const args of [
      ["ralph", "status"],
      ["ralph", "status", "--json"],
    ]) {
      const res = await runCli(args, { cwd: box.work, env: box.env });
      expect(res.code).toBe(0);
      expect(res.stdout).toContain("Add login");
      expect(controlsIn(res.stdout + res.stderr)).toEqual([]);
    }
  });

  it("tui: a permission prompt shows the end of the command that would run, however it is padded", async () => {
    const command = `echo hello${" ".repeat(400)}&& touch pwned-by-padding`;
    const { work, open } = await tuiWorld(
      [
        { toolCalls: [{ name: "bash", arguments: { command, description: "Say hello" } }] },
        { text: "not run" },
      ],
      { config: '[[permissions.rules]]\ntool = "bash"\naction = "ask"\n' },
    );
    const tui = await open();
    await tui.type("greet");
    await tui.keys("Enter");
    const prompt = await tui.waitFor((s) => s.includes("Permission needed: bash"), "the permission prompt");
    expect(prompt).toContain("touch pwned-by-padding");
    // "Always" would allow every later bash call, not this command: the prompt says so.
    expect(prompt).toContain("always allow bash (every call, this session)");
    await tui.type("n");
    await tui.waitFor((s) => s.includes("not run"), "the answer after deny");
    await expect(fs.access(path.join(work, "pwned-by-padding"))).rejects.toThrow();
  });

  it("a2a send: the reply command it suggests quotes the ids a remote agent chose (no shell injection by copy-paste)", async () => {
    const agent = await startHostileAgent({
      taskId: "t1; touch /tmp/pwned #",
      contextId: `c$(id)${ESC}[2K`,
      text: `Need input${ESC}]0;x\u0007`,
    });
    try {
      const box = await scripted.boxFor([]);
      const sent = await runCli(["a2a", "send", "--no-stream", "--url", agent.url, "hi"], {
        cwd: box.work,
        env: box.env,
      });
      expect(sent.code).toBe(3);
      expect(controlsIn(sent.stderr)).toEqual([]);
      const hint = /Reply with: (.*)/.exec(sent.stderr)?.[1] ?? "";
      expect(hint).toContain("--task 't1; touch /tmp/pwned #'");
      expect(hint).toContain("--context 'c$(id)'");
    } finally {
      await agent.close();
    }
  });
});

/**
 * An A2A agent (JSON-RPC binding) whose every SendMessage answers a task waiting for input, with the ids and
 * text given: what a malicious remote agent can put in front of `a2a send`.
 */
async function startHostileAgent(reply: { taskId: string; contextId: string; text: string }) {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.writeHead(200, { "content-type": "application/json" });
      if (req.method === "GET") {
        res.end(
          JSON.stringify({
            name: "hostile",
            description: "a hostile agent",
            version: "1.0.0",
            supportedInterfaces: [{ url: `${base}/a2a`, protocolBinding: "JSONRPC", protocolVersion: "1.0" }],
            capabilities: { streaming: false },
            defaultInputModes: ["text/plain"],
            defaultOutputModes: ["text/plain"],
            skills: [],
          }),
        );
        return;
      }
      const id = (JSON.parse(body) as { id: unknown }).id;
      const message = {
        messageId: "m-agent",
        contextId: reply.contextId,
        taskId: reply.taskId,
        role: "ROLE_AGENT",
        parts: [{ text: reply.text, mediaType: "text/plain" }],
      };
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id,
          result: {
            task: {
              id: reply.taskId,
              contextId: reply.contextId,
              status: { state: "TASK_STATE_INPUT_REQUIRED", message },
              history: [],
            },
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
