import { type ChildProcess, execFileSync } from "node:child_process";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import { initialize, startAcp } from "./acp-client.js";
import { startCli, until } from "./cli-process.js";
import { cleanProbe, expectProbeContained, probeAnswer, writeProbeConfig } from "./entry-point-probe.js";
import { runCli } from "./helpers.js";
import { startPlatform } from "./platform-fake.js";
import { sandboxUsable } from "./sandbox-helpers.js";
import { securityBox } from "./security-helpers.js";

/**
 * Every way an agent runs — run, a `task` sub-agent, swarm, ralph, serve (A2A), worker, acp — takes its agent from
 * the one runtime: the user's deny rule, the sandbox and the audit log apply to each. (The TUI builds its agent
 * through the same `createRuntime` as `run`; it needs a terminal, so tui.e2e covers it separately.)
 */

const usable = sandboxUsable("entry-point security tests");

let model: ScriptedOpenAI | undefined;
let children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  children = [];
  for (const clean of cleanups.splice(0)) await clean();
  await model?.close();
  model = undefined;
});

async function setup(tag: string) {
  const box = await securityBox();
  await writeProbeConfig(box);
  model = await startScriptedOpenAI(Array.from({ length: 16 }, () => probeAnswer(tag)));
  cleanups.push(() => cleanProbe(tag));
  const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.url };
  return { box, env, model };
}

const start = (args: string[], env: Record<string, string>, cwd: string) =>
  startCli(args, env, cwd, children);

/** The fake platform (platform-fake.ts), closed after the test. */
async function platformWith(pending: Array<Record<string, unknown>>) {
  const platform = await startPlatform(pending);
  cleanups.push(platform.close);
  return platform;
}

describe.skipIf(!usable)("every entry point applies the deny rule, the sandbox and the audit log", () => {
  it("run", async () => {
    const { box, env, model } = await setup("run");
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "probe"], { cwd: box.work, env });
    expect(res.stderr).not.toMatch(/Error/);
    await expectProbeContained(box, model, "run");
  });

  it("a task sub-agent of run", async () => {
    const { box, env, model } = await setup("task");
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "delegate the probe"], {
      cwd: box.work,
      env,
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('"tool":"task"');
    await expectProbeContained(box, model, "task");
  });

  it("swarm sub-agents", async () => {
    const { box, env, model } = await setup("swarm");
    await runCli(["swarm", "-m", "openai/gpt-4o", "--max-subagents", "1", "probe"], { cwd: box.work, env });
    await expectProbeContained(box, model, "swarm");
  });

  it("ralph story agents", async () => {
    const { box, env, model } = await setup("ralph");
    // Ralph works on the PRD's branch: the workspace is a git repository.
    execFileSync("git", ["init", "-q"], { cwd: box.work });
    const prd = await runCli(["ralph", "create-prd", "--feature", "Probe", "--project-name", "demo"], {
      cwd: box.work,
      env,
    });
    expect(prd.code).toBe(0);
    await runCli(["ralph", "run", "-m", "openai/gpt-4o", "--max-iterations", "1"], { cwd: box.work, env });
    await expectProbeContained(box, model, "ralph");
  });

  it("serve: an A2A task", async () => {
    const { box, env, model } = await setup("serve");
    const token = "entry-point-token-0123456789abcdef";
    const serve = start(
      ["serve", "--port", "0", "-m", "openai/gpt-4o"],
      { ...env, CODETETHER_AUTH_TOKEN: token },
      box.work,
    );
    await until(() => /Bearer token:.*\n/.test(serve.out()), "serve to start", serve.err);
    const url = /listening on (\S+)/.exec(serve.out())?.[1] ?? "";
    const sent = await runCli(["a2a", "send", "--url", url, "--token", token, "--no-stream", "probe"], {
      cwd: box.work,
      env: box.env,
    });
    expect(sent.stderr).toBe("");
    serve.child.kill("SIGINT");
    expect(await serve.exited).toBe(0);
    await expectProbeContained(box, model, "serve");
    // The server's request records and the tasks' tool records share one intact hash chain.
    const verify = await runCli(["audit", "verify"], { cwd: box.work, env: box.env });
    expect(verify.stdout + verify.stderr).not.toMatch(/broken|mismatch|invalid/i);
    expect(verify.code).toBe(0);
  });

  it("worker: a platform task run locally", async () => {
    const { box, env, model } = await setup("worker");
    const platform = await platformWith([{ id: "task-1", prompt: "probe" }]);
    const worker = start(
      [
        "worker",
        "--server",
        platform.url,
        "--token",
        "platform-token",
        "--auto-approve",
        "all",
        "-m",
        "openai/gpt-4o",
      ],
      { ...env, CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "false" },
      box.work,
    );
    await until(() => platform.released().length > 0, "the task to be released", worker.err);
    worker.child.kill("SIGINT");
    await worker.exited;
    await expectProbeContained(box, model, "worker");
  });

  it("acp: an editor session", async () => {
    const { box, env, model } = await setup("acp");
    const h = startAcp({ cwd: box.work, env });
    children.push(h.child);
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: box.work, mcpServers: [] });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "probe" }] });
    expect(res.stopReason).toBe("end_turn");
    await h.close();
    await expectProbeContained(box, model, "acp");
  });
});
