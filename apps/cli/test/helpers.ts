import { type SpawnOptions, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export const BIN = path.resolve(import.meta.dirname, "../dist/bin.cjs");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temp HOME/XDG sandbox so tests never read or write the developer's real config and sessions. */
export async function makeSandbox(): Promise<{ dir: string; work: string; env: Record<string, string> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-cli-"));
  const work = path.join(dir, "work");
  await fs.mkdir(work, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, "config"),
    XDG_DATA_HOME: path.join(dir, "data"),
    XDG_CACHE_HOME: path.join(dir, "cache"),
    NO_COLOR: "1",
  };
  return { dir, work, env };
}

/** Whether `file` exists (any kind of entry). */
export const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/** Runs the built binary as a subprocess. */
export function runCli(
  args: string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    input?: string;
    onSpawn?: (child: ReturnType<typeof spawn>) => void;
  },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    };
    const child = spawn(process.execPath, [BIN, ...args], spawnOptions);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
    options.onSpawn?.(child);
  });
}
