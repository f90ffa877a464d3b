import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { startScriptedOpenAI } from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import { initialize, startAcp } from "./acp-client.js";
import { runCli } from "./helpers.js";
import { startServe, waitFor } from "./serve-helpers.js";
import { useTmuxTui } from "./tui-helpers.js";

/**
 * A session another live process holds (its `<id>.lock` names that pid) is waited for by every front end, like
 * `run -c` does: the TUI, an ACP `session/load` and an A2A task continuing its context say which pid they wait
 * for, and continue once it is gone — never writing the session at the same time. The holder here is a `sleep`.
 */
const setup = useTmuxTui();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

/** Writes `<sessions>/<id>.lock` for a live process and returns a function that ends that process. */
async function holdLock(sessionsDir: string, id: string): Promise<{ pid: number; end(): void }> {
  const holder = spawn("sleep", ["60"], { stdio: "ignore" });
  children.push(holder);
  const pid = holder.pid as number;
  await fs.mkdir(sessionsDir, { recursive: true });
  const lock = { pid, command: "test holder", startedAt: Date.now() };
  await fs.writeFile(path.join(sessionsDir, `${id}.lock`), `${JSON.stringify(lock)}\n`);
  return { pid, end: () => holder.kill("SIGKILL") };
}

const sessionIdOf = (stdout: string) =>
  (
    stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((e) => e.type === "done") as { sessionId: string }
  ).sessionId;

describe("front ends wait for a session another process holds", () => {
  it("tui --session: names the holder's pid, waits, then resumes the session", async () => {
    const world = await setup([{ text: "first answer" }, { text: "second answer" }]);
    const first = await runCli(["run", "--json", "--model", "openai/gpt-4o", "remember 42"], {
      cwd: world.work,
      env: world.env,
    });
    expect(first.code, first.stderr).toBe(0);
    const id = sessionIdOf(first.stdout);
    const holder = await holdLock(path.join(world.dir, "data", "codetether", "sessions"), id);
    const tui = await world.start(["tui", "--model", "openai/gpt-4o", "--session", id]);
    const waiting = await tui.waitFor((s) => s.includes(`pid ${holder.pid}`), "the waiting notice");
    expect(waiting).toContain(`session ${id} is in use by pid ${holder.pid}`);
    holder.end();
    await tui.waitFor((s) => s.includes("○ ready") && s.includes("first answer"), "the resumed session");
    await tui.type("and now?");
    await tui.keys("Enter");
    await tui.waitFor((s) => s.includes("second answer"), "the next answer");
    expect(JSON.stringify(world.lastChatBody().messages)).toContain("remember 42");
  });

  it("acp session/load: waits for the holder (named on stderr), then loads", async () => {
    const world = await setup([{ text: "first answer" }]);
    const first = await runCli(["run", "--json", "--model", "openai/gpt-4o", "remember 42"], {
      cwd: world.work,
      env: world.env,
    });
    const id = sessionIdOf(first.stdout);
    const holder = await holdLock(path.join(world.dir, "data", "codetether", "sessions"), id);
    const acp = startAcp({ cwd: world.work, env: world.env });
    children.push(acp.child);
    await initialize(acp);
    let loaded = false;
    const load = acp.connection.loadSession({ sessionId: id, cwd: world.work, mcpServers: [] }).then((r) => {
      loaded = true;
      return r;
    });
    await waitFor(() => acp.stderr().includes(`pid ${holder.pid}`), 20_000, "the waiting notice");
    expect(loaded).toBe(false);
    holder.end();
    await load;
    expect(loaded).toBe(true);
    await acp.close();
  });

  it("serve: a task continuing a held context waits (the log names the pid), then completes", async () => {
    const model = await startScriptedOpenAI([{ text: "continued fine" }]);
    const world = await setup([]);
    const env = {
      ...world.env,
      OPENAI_BASE_URL: model.url,
      CODETETHER_AUTH_TOKEN: "lock-wait-token-0123456789",
    };
    const serve = await startServe(["-m", "openai/gpt-4o"], env, world.work, children);
    const contextId = "ctx-held";
    const holder = await holdLock(path.join(world.dir, "data", "codetether", "sessions"), `a2a_${contextId}`);
    let done = false;
    const sent = fetch(`${serve.url}/a2a/rest/message:send`, {
      method: "POST",
      headers: {
        authorization: "Bearer lock-wait-token-0123456789",
        "A2A-Version": "1.0",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        message: { messageId: "m1", role: "ROLE_USER", contextId, parts: [{ text: "go on" }] },
        configuration: { returnImmediately: false },
      }),
    }).then(async (r) => {
      done = true;
      return (await r.json()) as { task?: { status: { state: string } } };
    });
    await waitFor(() => serve.errors().includes(`pid ${holder.pid}`), 20_000, "the waiting notice");
    expect(done).toBe(false);
    holder.end();
    const result = await sent;
    expect(result.task?.status.state).toBe("TASK_STATE_COMPLETED");
    await model.close();
  });
});
