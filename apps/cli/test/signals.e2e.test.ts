import fs from "node:fs/promises";
import path from "node:path";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import { initialize, startAcp } from "./acp-client.js";
import { makeSandbox, runCli } from "./helpers.js";

let server: ScriptedOpenAI | undefined;
const leftovers: number[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor<T>(probe: () => Promise<T | undefined>, tries = 200): Promise<T | undefined> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

describe.each(["SIGHUP", "SIGTERM"] as const)("%s ends `codetether run` with bash's children", (signal) => {
  it(`${signal}: the background child of a running bash command is killed`, async () => {
    const { work, env } = await makeSandbox();
    server = await startScriptedOpenAI([
      {
        toolCalls: [
          {
            name: "bash",
            arguments: {
              command: "sleep 300 & echo $! > child.pid; wait",
              description: "wait",
              timeout: 120,
            },
          },
        ],
      },
      { text: "never reached" },
    ]);
    let cli: { kill(signal: NodeJS.Signals): boolean } | undefined;
    const done = runCli(["run", "--yes", "--model", "openai/gpt-4o", "hang"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
      onSpawn: (child) => {
        cli = child;
      },
    });
    const pid = await waitFor(async () => {
      const text = await fs.readFile(path.join(work, "child.pid"), "utf8").catch(() => "");
      return /^\d+\n$/.test(text) ? Number(text) : undefined;
    });
    expect(pid).toBeDefined();
    leftovers.push(pid!);
    expect(alive(pid!)).toBe(true);
    cli?.kill(signal);
    const res = await done;
    expect(res.code === null ? res.signal : res.code).not.toBe(0);
    // The child is killed while the run shuts down; allow the kernel a moment to reap it.
    expect(await waitFor(async () => (alive(pid!) ? undefined : true))).toBe(true);
  });
});

// `acp` (and the TUI) install no signal handlers of their own: the bash tool's process groups must still die.
describe.each(["SIGHUP", "SIGTERM"] as const)("%s ends `codetether acp` with bash's children", (signal) => {
  it(`${signal}: the background child of a running bash command is killed`, async () => {
    const { work, env } = await makeSandbox();
    server = await startScriptedOpenAI([
      {
        toolCalls: [
          { name: "bash", arguments: { command: "sleep 300 & echo $! > child.pid; wait", timeout: 120 } },
        ],
      },
      { text: "never reached" },
    ]);
    const h = startAcp({
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    try {
      await initialize(h);
      const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
      void h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "hang" }] }).catch(() => {});
      const pid = await waitFor(async () => {
        const text = await fs.readFile(path.join(work, "child.pid"), "utf8").catch(() => "");
        return /^\d+\n$/.test(text) ? Number(text) : undefined;
      });
      expect(pid).toBeDefined();
      leftovers.push(pid!);
      h.child.kill(signal);
      await h.close();
      expect(await waitFor(async () => (alive(pid!) ? undefined : true))).toBe(true);
    } finally {
      h.child.kill("SIGKILL");
    }
  });
});
