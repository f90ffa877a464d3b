import { type ChildProcess, spawn } from "node:child_process";
import { BIN } from "./helpers.js";

export interface CliProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  out(): string;
  err(): string;
}

/**
 * Starts the built binary in the background (serve, worker…), collecting its output. The child is added to
 * `children` so the test's afterEach can kill what is still running.
 */
export function startCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  children: ChildProcess[],
): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

/**
 * Polls `check` every 50 ms until it holds; after `ms` (a bound, not a measurement) fails naming `what` and,
 * when given, what `describe()` says (e.g. the process's stderr).
 */
export async function until(
  check: () => boolean,
  what: string,
  describe: () => string = () => "",
  ms = 30_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
