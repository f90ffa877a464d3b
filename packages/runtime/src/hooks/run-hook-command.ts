import { spawn } from "node:child_process";
import { killGroup, trackGroup } from "@codetether/core";

/** What one hook process did. */
export interface HookProcessResult {
  /** Exit code; null when it was killed (timeout, abort) or could not start. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the shell could not be started at all. */
  spawnError?: string;
  durationMs: number;
}

export interface RunHookCommandOptions {
  command: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The event as JSON, written to the hook's stdin. */
  input: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Most of a hook's stdout/stderr kept; a hook that floods its output cannot exhaust memory. */
const MAX_OUTPUT = 1024 * 1024;

/**
 * Runs one hook command with `bash -c` in its own process group, the event on stdin. On timeout or abort the whole
 * group is killed (a hook that started a background job does not outlive it).
 */
export function runHookCommand(options: RunHookCommandOptions): Promise<HookProcessResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let settled = false;
    const child = spawn("bash", ["-c", options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    trackGroup(child);
    const kill = () => killGroup(child, "SIGKILL");
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => kill();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const finish = (result: Omit<HookProcessResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ ...result, durationMs: elapsed() });
    };
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString("utf8");
    });
    child.on("error", (err) => finish({ exitCode: null, stdout, stderr, timedOut, spawnError: err.message }));
    child.on("close", (code) => {
      finish({ exitCode: timedOut ? null : code, stdout, stderr, timedOut });
    });
    // A hook that does not read its stdin closes the pipe early: that is not an error.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input);
  });
}
