import { type ChildProcess, spawn } from "node:child_process";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { afterEach } from "vitest";
import { BIN, makeSandbox } from "./helpers.js";

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  errors(): string;
  exited: Promise<number | null>;
}

/**
 * Starts `codetether serve --port 0` (built binary) and resolves once it prints where it listens and where
 * the token is. Every started process is added to `children` so the test's afterEach can stop it.
 */
export async function startServe(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  children: ChildProcess[],
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      stdout += d;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m && /Bearer token:.*\n/.test(stdout)) resolve(m[1] as string);
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, output: () => stdout, errors: () => stderr, exited };
}

/** Resolves with `value()` once it is truthy, polling every 50 ms, or rejects after `timeoutMs` (a bound, not a measurement). */
export async function waitFor<T>(
  value: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await value();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Registers the calling test file's clean-up with its `afterEach`: every serve started with `children` that is
 * still running gets `signal`, and every scripted model passed through `track` is closed.
 * `serveBox(turns, env)` starts a tracked scripted model and a temp HOME; its `env` is the HOME's plus what points
 * the CLI at the model, plus `env` (`box.env` stays the HOME's alone, for clients).
 */
export function useServeCleanup(signal: NodeJS.Signals = "SIGTERM"): {
  children: ChildProcess[];
  track<T extends { close(): Promise<unknown> }>(model: T): T;
  serveBox(
    turns: Parameters<typeof startScriptedOpenAI>[0],
    env?: Record<string, string>,
  ): Promise<{
    box: Awaited<ReturnType<typeof makeSandbox>>;
    model: ScriptedOpenAI;
    env: Record<string, string>;
  }>;
} {
  const children: ChildProcess[] = [];
  const models: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill(signal);
    for (const model of models.splice(0)) await model.close();
  });
  const track = <T extends { close(): Promise<unknown> }>(model: T): T => {
    models.push(model);
    return model;
  };
  return {
    children,
    track,
    async serveBox(turns, env = {}) {
      const model = track(await startScriptedOpenAI(turns));
      const box = await makeSandbox();
      return {
        box,
        model,
        env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.url, ...env },
      };
    },
  };
}
