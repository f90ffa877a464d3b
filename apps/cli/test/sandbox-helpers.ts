import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { probeSandboxCapabilities } from "@codetether/security";
import { afterEach } from "vitest";

// Shared by the e2e files that run the built CLI's bash under the real bubblewrap sandbox.

/** Whether bubblewrap with network namespaces works here (for `describe.skipIf`); warns that `what` is skipped. */
export function sandboxUsable(what: string): boolean {
  const caps = probeSandboxCapabilities();
  const usable = Boolean(caps.bwrap && caps.networkNamespaces);
  if (!usable) console.warn(`skipping ${what}: bubblewrap with network namespaces is not available here`);
  return usable;
}

/** A bash tool call, as the scripted model sends it. */
export const bash = (command: string) => ({ name: "bash", arguments: { command, description: "test" } });

/** The `tool-end` events of `run --json` output. */
export const toolEnds = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === "tool-end");

/** git in `cwd` with a throwaway identity; its trimmed stdout. */
export const gitIn = (cwd: string, args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], { cwd, stdio: "pipe" })
    .toString()
    .trim();

/**
 * Host services the sandbox must keep bash away from, closed after each test (registers the `afterEach`).
 * `hostService()` listens on 127.0.0.1 (or on the Unix socket `socketPath`) and counts the connections it got.
 */
export function useHostServices() {
  const listeners: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(
      listeners.splice(0).map((l) => new Promise<void>((resolve) => l.close(() => resolve()))),
    );
  });
  return async function hostService(
    socketPath?: string,
  ): Promise<{ port: number; connections: () => number }> {
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections++;
      socket.on("error", () => {}); // a probe may exit as soon as it is connected
      socket.end("hello from the host\n");
    });
    listeners.push(listener);
    await new Promise<void>((resolve) =>
      socketPath ? listener.listen(socketPath, resolve) : listener.listen(0, "127.0.0.1", resolve),
    );
    const address = listener.address();
    return {
      port: typeof address === "object" && address ? address.port : 0,
      connections: () => connections,
    };
  };
}

/**
 * Temp HOMEs under /var/tmp, removed after each test (registers the `afterEach`). Not /tmp: the sandbox's private
 * /tmp would hide a /tmp home by accident, and the escape tests prove $HOME itself is hidden.
 */
export function useVarTmpHomes() {
  const homes: string[] = [];
  afterEach(async () => {
    for (const dir of homes.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });
  return async function homeBox(prefix = "ct-home-") {
    const home = await fs.mkdtemp(`/var/tmp/${prefix}`);
    homes.push(home);
    const work = path.join(home, "work");
    await fs.mkdir(work);
    const configDir = path.join(home, ".config", "codetether");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, ".config"),
      XDG_DATA_HOME: path.join(home, ".local", "share"),
      XDG_CACHE_HOME: path.join(home, ".cache"),
      NO_COLOR: "1",
    };
    return { home, work, configDir, env };
  };
}
