import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { writeTinyGguf } from "@codetether/testing";
import { TmuxSession } from "@codetether/tui/testing";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BIN, type CliResult, makeSandbox } from "./helpers.js";

// The CLI as npm installs it: dist/ alone, with no node-llama-cpp beside it (in the workspace, apps/cli's
// node_modules has one). The first local run must install the llama.cpp runtime into the data dir, after one
// confirmation; these tests never reach the network (the registry is a closed 127.0.0.1 port). The real install
// from the registry is the consumer test `local-default` (scripts/consumer/uses.mjs).

const RUNTIME = "node-llama-cpp@3.22.1";
/** The CPU build for this machine (the suite runs on linux-x64). */
const CPU_BUILD = `@node-llama-cpp/${process.platform === "darwin" ? "mac" : process.platform === "win32" ? "win" : process.platform}-${process.arch}`;

let bin = "";
let closedRegistry = "";
const tmuxes: TmuxSession[] = [];

beforeAll(async () => {
  const { dir } = await makeSandbox();
  await fs.cp(path.dirname(BIN), path.join(dir, "cli"), { recursive: true });
  bin = path.join(dir, "cli", "bin.cjs");
  closedRegistry = `http://127.0.0.1:${await closedPort()}/`;
});

afterEach(async () => {
  for (const t of tmuxes.splice(0)) await t.kill();
});

/** A port nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function runAlone(args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end();
  });
}

/** A sandbox whose local model is a generated tiny GGUF (so only the runtime is missing) and whose registry is closed. */
async function localBox(extra: Record<string, string> = {}) {
  const box = await makeSandbox();
  const model = path.join(box.dir, "tiny.gguf");
  await writeTinyGguf(model, { ctx: 32768 });
  const env = {
    ...box.env,
    CODETETHER_LOCAL_MODEL: model,
    CODETETHER_LOCAL_THREADS: "1",
    CODETETHER_LOCAL_CONTEXT: "32768",
    CODETETHER_LOCAL_MAX_TOKENS: "24",
    npm_config_registry: closedRegistry,
    ...extra,
  };
  const runtimeDir = path.join(box.dir, "data", "codetether", "runtime");
  return { ...box, env, model, runtimeDir };
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

describe("the llama.cpp runtime for the embedded default, installed into the data dir", () => {
  it("a non-TTY run without --yes or CODETETHER_ASSUME_YES refuses (exit 2), says how to confirm, installs nothing", async () => {
    const box = await localBox();
    const res = await runAlone(["run", "hello"], box.work, box.env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(RUNTIME);
    expect(res.stderr).toContain("--yes");
    expect(res.stderr).toContain("CODETETHER_ASSUME_YES=1");
    expect(res.stderr).toContain("codetether models --pull");
    expect(res.stderr).toContain("OPENAI_API_KEY");
    expect(await exists(box.runtimeDir)).toBe(false);
  });

  it("--yes confirms; with the registry unreachable it fails fast (exit 1) with what to download and where", async () => {
    const box = await localBox();
    const res = await runAlone(["run", "--yes", "hello"], box.work, box.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(closedRegistry);
    expect(res.stderr).toContain(`${RUNTIME}`);
    expect(res.stderr).toContain(`${CPU_BUILD}@3.22.1`);
    expect(res.stderr).toContain(path.join(box.runtimeDir, RUNTIME));
    expect(res.stderr).toContain("npm install --omit=optional --ignore-scripts");
    expect(res.stderr).not.toContain("CODETETHER_ASSUME_YES=1 to");
    // Nothing half-installed is left behind.
    expect(await exists(path.join(box.runtimeDir, RUNTIME))).toBe(false);
  });

  it("CODETETHER_ASSUME_YES=1 confirms a non-TTY run as --yes does", async () => {
    const box = await localBox({ CODETETHER_ASSUME_YES: "1" });
    const res = await runAlone(["run", "hello"], box.work, box.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(closedRegistry);
    expect(res.stderr).toContain(`${CPU_BUILD}@3.22.1`);
  });

  it("models --pull installs ahead of time without asking; offline it fails fast the same way", async () => {
    const box = await localBox();
    const res = await runAlone(["models", "--pull"], box.work, box.env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(closedRegistry);
    expect(res.stderr).toContain(`${CPU_BUILD}@3.22.1`);
    expect(res.stderr).toContain(path.join(box.runtimeDir, RUNTIME));
    const gpu = await runAlone(["models", "--pull", "--gpu", "cuda"], box.work, box.env);
    expect(gpu.code).toBe(1);
    expect(gpu.stderr).toContain("@node-llama-cpp/linux-x64-cuda@3.22.1");
    const bad = await runAlone(["models", "--pull", "--gpu", "quantum"], box.work, box.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--gpu");
  });

  it("on a TTY it asks once: n installs nothing, y goes on to install (here: to the unreachable registry)", async () => {
    const box = await localBox();
    const tmux = new TmuxSession(box.env);
    tmuxes.push(tmux);
    await tmux.start([process.execPath, bin, "run", "hello"], box.work, 200);
    await tmux.waitFor((screen) => screen.includes("[Y/n]"), "the confirmation prompt");
    const prompt = await tmux.capture({ joinWrapped: true });
    expect(prompt).toContain(RUNTIME);
    expect(prompt).toContain(path.join(box.runtimeDir, RUNTIME));
    await tmux.type("n");
    await tmux.keys("Enter");
    expect(await tmux.waitForExit()).toBe(1);
    expect(await exists(box.runtimeDir)).toBe(false);

    const yes = new TmuxSession(box.env);
    tmuxes.push(yes);
    await yes.start([process.execPath, bin, "run", "hello"], box.work, 200);
    await yes.waitFor((screen) => screen.includes("[Y/n]"), "the confirmation prompt");
    await yes.keys("Enter");
    await yes.waitFor((screen) => screen.includes(closedRegistry), "the offline error", {
      joinWrapped: true,
    });
    expect(await yes.waitForExit()).toBe(1);
  });

  it("the TUI asks the same way before it starts: n installs nothing and says how to install later", async () => {
    const box = await localBox();
    const tmux = new TmuxSession(box.env);
    tmuxes.push(tmux);
    await tmux.start([process.execPath, bin, "tui"], box.work, 200);
    await tmux.waitFor((screen) => screen.includes("[Y/n]"), "the confirmation prompt");
    expect(await tmux.capture({ joinWrapped: true })).toContain(path.join(box.runtimeDir, RUNTIME));
    await tmux.type("n");
    await tmux.keys("Enter");
    await tmux.waitFor((screen) => screen.includes("codetether models --pull"), "how to install later", {
      joinWrapped: true,
    });
    expect(await tmux.waitForExit()).toBe(1);
    expect(await exists(box.runtimeDir)).toBe(false);
  });

  it("a runtime already in the data dir is used: a run with no key completes a turn on the local default", async () => {
    const box = await localBox();
    // Stands in for what `models --pull` installs: the workspace's own node-llama-cpp with its dependencies.
    const beside = await fs.realpath(path.resolve(import.meta.dirname, "../node_modules/node-llama-cpp"));
    const target = path.join(box.runtimeDir, RUNTIME);
    await fs.mkdir(target, { recursive: true });
    await fs.symlink(path.dirname(beside), path.join(target, "node_modules"));
    const res = await runAlone(["run", "--json", "--max-steps", "1", "hello"], box.work, box.env);
    expect(res.stderr).not.toContain("[Y/n]");
    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: "turn-start", model: "local/default" });
    expect(events.at(-1).type).toBe("done");
    expect(res.code).toBe(0);
  });
});
