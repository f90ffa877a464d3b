import { spawn } from "node:child_process";
import { killGroup, trackGroup } from "@codetether/core";
import { CHECK_ORDER, type CheckName, type QualityChecks } from "../prd/prd-schema.js";

export interface CheckResult {
  name: CheckName;
  command: string;
  exitCode: number | null;
  passed: boolean;
  /** Tail of stdout+stderr, enough to act on a failure. */
  output: string;
  durationMs: number;
  timedOut: boolean;
}

const OUTPUT_TAIL = 4000;

/** How a command is launched under the host's sandbox (`ctx.services.sandbox` of `bash`, same shape). */
export interface CommandSandbox {
  wrap(
    command: string,
    options: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number },
  ):
    | { file: string; args: string[]; env?: Record<string, string | undefined> }
    | Promise<{ file: string; args: string[]; env?: Record<string, string | undefined> }>;
}

export function isCommandSandbox(value: unknown): value is CommandSandbox {
  return typeof value === "object" && value !== null && typeof (value as CommandSandbox).wrap === "function";
}

/**
 * Runs one shell command in its own process group, so a timeout or abort kills everything it
 * started (test runners spawn workers), not only the shell. With a `sandbox` (the one `bash` runs in) the
 * command runs inside it: a check runs project scripts the story agent may have rewritten (package.json, a
 * test file), so outside the sandbox it would be a way out of it and would see codetether's keys.
 */
export async function runCheck(
  name: CheckName,
  command: string,
  options: { cwd: string; timeoutMs: number; signal?: AbortSignal; sandbox?: CommandSandbox },
): Promise<CheckResult> {
  const started = Date.now();
  const env = { ...process.env, CI: "1", FORCE_COLOR: "0" };
  const launch = options.sandbox
    ? await options.sandbox.wrap(command, { cwd: options.cwd, env, timeoutMs: options.timeoutMs })
    : { file: "/bin/sh", args: ["-c", command], env };
  return new Promise((resolve) => {
    const child = spawn(launch.file, launch.args, {
      cwd: options.cwd,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: launch.env ?? env,
    });
    let output = "";
    const append = (data: Buffer) => {
      output = (output + data.toString()).slice(-OUTPUT_TAIL * 2);
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    let timedOut = false;
    trackGroup(child);
    const kill = () => killGroup(child, "SIGKILL");
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener("abort", kill, { once: true });
    const finish = (exitCode: number | null, extra = "") => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", kill);
      const text = (output + extra).slice(-OUTPUT_TAIL);
      resolve({
        name,
        command,
        exitCode,
        passed: exitCode === 0 && !timedOut,
        output: timedOut ? `${text}\n[timed out after ${options.timeoutMs} ms]` : text,
        durationMs: Date.now() - started,
        timedOut,
      });
    };
    child.on("error", (err) => finish(null, `\n${err.message}`));
    child.on("close", (code) => finish(code));
  });
}

/** Runs every configured check in a fixed order; all run, even after a failure, so every problem is reported. */
export async function runQualityChecks(
  checks: QualityChecks,
  options: {
    cwd: string;
    timeoutMs?: number;
    signal?: AbortSignal;
    sandbox?: CommandSandbox;
    onResult?: (r: CheckResult) => void;
  },
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const name of CHECK_ORDER) {
    const command = checks[name];
    if (!command) continue;
    if (options.signal?.aborted) break;
    const result = await runCheck(name, command, {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs ?? 600_000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    });
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
