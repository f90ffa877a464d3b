import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

const model = useScriptedOpenAI();

async function sessionFiles(dir: string) {
  const sessionsDir = path.join(dir, "data", "codetether", "sessions");
  const names = (await fs.readdir(sessionsDir)).filter((n) => n.endsWith(".json") && !n.startsWith("."));
  return Promise.all(
    names.map(async (n) => JSON.parse(await fs.readFile(path.join(sessionsDir, n), "utf8"))),
  );
}

describe("codetether run (built binary) against the scripted OpenAI server", () => {
  it("writes then reads a file, answers, saves the session, and streams --json events", async () => {
    const { dir, work, env } = await model.boxFor([
      {
        toolCalls: [
          { name: "write", arguments: { path: "notes/hello.txt", content: "hello from codetether\n" } },
        ],
      },
      { toolCalls: [{ name: "read", arguments: { path: "notes/hello.txt" } }] },
      { text: "The file says hello from codetether." },
    ]);
    const res = await runCli(["run", "--json", "--model", "openai/gpt-4o", "create notes/hello.txt"], {
      cwd: work,
      env,
    });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(await fs.readFile(path.join(work, "notes/hello.txt"), "utf8")).toBe("hello from codetether\n");

    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("turn-start");
    expect(types.filter((t) => t === "tool-end")).toHaveLength(2);
    const done = events.at(-1);
    expect(done).toMatchObject({ type: "done", text: "The file says hello from codetether.", steps: 3 });
    const readEnd = events.find((e) => e.type === "tool-end" && e.tool === "read");
    expect(readEnd.result.output).toContain("hello from codetether");

    const [session] = await sessionFiles(dir);
    expect(session.id).toBe(done.sessionId);
    expect(session.title).toBe("create notes/hello.txt");
    expect(session.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "assistant",
      "tool",
      "assistant",
    ]);

    // The model saw the tool result of the write before asking to read.
    const second = model.chatRequests()[1]?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(second.messages.at(-1)?.role).toBe("tool");
  });

  it("text mode streams the answer to stdout and continues the session with -c", async () => {
    const { work, env } = await model.boxFor([{ text: "first answer" }, { text: "second answer" }]);
    const first = await runCli(["run", "--model", "openai/gpt-4o", "hello"], { cwd: work, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe("first answer\n");
    const second = await runCli(["run", "-c", "--model", "openai/gpt-4o", "again"], { cwd: work, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("second answer\n");
    const body = model.chatRequests()[1]?.body as {
      messages: Array<{ role: string }>;
    };
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
  });

  it("reads the prompt from stdin with -", async () => {
    const { work, env } = await model.boxFor([{ text: "piped" }]);
    const res = await runCli(["run", "--model", "openai/gpt-4o", "-"], {
      cwd: work,
      env,
      input: "from stdin\n",
    });
    expect(res.code).toBe(0);
    const body = model.server?.requests.at(-1)?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(JSON.stringify(body.messages.at(-1))).toContain("from stdin");
  });

  it("returns malformed tool-call JSON and unknown tools to the model as errors, then finishes", async () => {
    const { work, env } = await model.boxFor([
      {
        toolCalls: [
          { name: "write", arguments: '{"path": "x.txt", "content": ' },
          { name: "wrtie", arguments: {} },
        ],
      },
      { text: "recovered" },
    ]);
    const res = await runCli(["run", "--json", "--model", "openai/gpt-4o", "go"], { cwd: work, env });
    expect(res.code).toBe(0);
    const body = model.server?.requests.at(-1)?.body as {
      messages: Array<{ role: string; content: string }>;
    };
    const toolMsgs = body.messages.filter((m) => m.role === "tool").map((m) => m.content);
    expect(toolMsgs[0]).toContain("Invalid JSON");
    expect(toolMsgs[1]).toContain('Unknown tool "wrtie"');
    expect(toolMsgs[1]).toContain("write");
    await expect(fs.access(path.join(work, "x.txt"))).rejects.toThrow();
  });

  it("retries a provider 500 and succeeds", async () => {
    const { work, env } = await model.boxFor([
      { type: "error", status: 500, headers: { "retry-after": "0" } },
      { text: "after retry" },
    ]);
    const res = await runCli(["run", "--json", "--model", "openai/gpt-4o", "go"], { cwd: work, env });
    expect(res.code).toBe(0);
    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.some((e) => e.type === "retry")).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "done", text: "after retry" });
  });

  it("fails with exit 1 and a clear message on an invalid API key", async () => {
    const { work, env } = await model.boxFor([{ type: "error", status: 401 }]);
    const res = await runCli(["run", "--model", "openai/gpt-4o", "go"], { cwd: work, env });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/invalid API key for openai/i);
    expect(res.stderr).not.toContain("sk-test");
  });

  it("times out a provider that never answers (exit 1, session intact)", async () => {
    const { dir, work, env } = await model.boxFor([{ type: "hang" }, { type: "hang" }]);
    const res = await runCli(["run", "--model", "openai/gpt-4o", "go"], {
      cwd: work,
      env: { ...env, CODETETHER_REQUEST_TIMEOUT_MS: "300", CODETETHER_MAX_RETRIES: "1" },
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/timeout/i);
    const [session] = await sessionFiles(dir);
    expect(session.messages[0].role).toBe("user");
  });

  it("Ctrl+C mid-stream stops the run (exit 130) without corrupting the session file", async () => {
    const { dir, work, env } = await model.boxFor([{ text: "word ".repeat(200), delayMs: 20 }]);
    const res = await runCli(["run", "--model", "openai/gpt-4o", "long answer please"], {
      cwd: work,
      env,
      onSpawn: (child) => {
        child.stdout?.once("data", () => child.kill("SIGINT"));
      },
    });
    expect(res.code).toBe(130);
    const [session] = await sessionFiles(dir);
    expect(session.messages[0]).toMatchObject({ role: "user" });
  });

  it("fails fast with setup instructions when no provider is configured", async () => {
    const { work, env } = await makeSandbox();
    const res = await runCli(["run", "--model", "openai/gpt-4o", "hello"], { cwd: work, env });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("OPENAI_API_KEY");
  });
});
