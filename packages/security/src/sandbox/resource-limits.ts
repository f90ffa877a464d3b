import fs from "node:fs";
import type { SandboxPolicyConfig } from "@codetether/core";
import { parseSize } from "./parse-size.js";
import type { SandboxCapabilities } from "./sandbox-capabilities.js";

/** Processes (threads count too) a sandboxed command may add when the policy sets no `max_processes`. */
export const DEFAULT_MAX_PROCESSES = 256;

/** How each resource limit of a policy is enforced on this machine. */
export interface LimitPlan {
  /** prlimit options fixed for every command (`--as`, `--cpu`, `--fsize`). */
  rlimits: string[];
  /** Non-root: RLIMIT_NPROC counts every task of the user, so the limit is this many above the current count. */
  nprocHeadroom?: number;
  /** Root: a pids cgroup base and the limit for each command's child group. */
  pids?: { base: string; max: number };
  /** A cgroup base with CPU accounting and the tree-wide CPU budget in seconds. */
  cpu?: { base: string; seconds: number };
  /** No CPU cgroup: the whole command is killed after this many seconds of wall-clock time. */
  wallSeconds?: number;
  active: string[];
  warnings: string[];
}

export function planLimits(policy: SandboxPolicyConfig, caps: SandboxCapabilities): LimitPlan {
  const plan: LimitPlan = { rlimits: [], active: [], warnings: [] };
  const memory = policy.max_memory === undefined ? undefined : parseSize(policy.max_memory, "max_memory");
  const fileSize =
    policy.max_file_size === undefined ? undefined : parseSize(policy.max_file_size, "max_file_size");
  const cpuSeconds = policy.max_cpu_seconds;
  if (memory !== undefined) plan.rlimits.push(`--as=${memory}`);
  if (cpuSeconds !== undefined) plan.rlimits.push(`--cpu=${cpuSeconds}:${cpuSeconds + 1}`);
  if (fileSize !== undefined) plan.rlimits.push(`--fsize=${fileSize}`);
  const rlimitNames = [
    memory !== undefined && `max_memory=${memory} bytes`,
    cpuSeconds !== undefined && `max_cpu_seconds=${cpuSeconds} per process`,
    fileSize !== undefined && `max_file_size=${fileSize} bytes`,
  ].filter((name): name is string => typeof name === "string");

  const maxProcesses = policy.max_processes ?? DEFAULT_MAX_PROCESSES;
  const processes = `max_processes=${maxProcesses}${policy.max_processes === undefined ? " (default)" : ""}`;
  if (caps.root && caps.pidsCgroup) {
    plan.pids = { base: caps.pidsCgroup, max: maxProcesses };
    plan.active.push(`${processes} (pids cgroup; RLIMIT_NPROC does not bind root)`);
  } else if (!caps.root && caps.prlimit) {
    plan.nprocHeadroom = maxProcesses;
    rlimitNames.push(`${processes} new processes`);
  } else {
    plan.warnings.push(
      `max_processes NOT enforced: ${caps.root ? "running as root (RLIMIT_NPROC is ignored for root) and no writable pids cgroup" : "prlimit (util-linux) not found"}`,
    );
  }
  if (rlimitNames.length > 0) {
    if (caps.prlimit) plan.active.push(`${rlimitNames.join(", ")} (rlimits via prlimit)`);
    else plan.warnings.push(`${rlimitNames.join(", ")} NOT enforced: prlimit (util-linux) not found`);
  }

  if (cpuSeconds !== undefined) {
    if (caps.cpuCgroup) {
      plan.cpu = { base: caps.cpuCgroup, seconds: cpuSeconds };
      plan.active.push(`max_cpu_seconds=${cpuSeconds} for the whole process tree (cgroup CPU accounting)`);
    } else if (caps.timeout) {
      plan.wallSeconds = cpuSeconds;
      plan.warnings.push(
        `max_cpu_seconds is per process only (no writable cgroup with CPU accounting); the whole command is killed after ${cpuSeconds} s of wall-clock time instead`,
      );
    } else {
      plan.warnings.push(
        "max_cpu_seconds is per process only: no writable CPU cgroup and no coreutils `timeout` for a wall-clock budget",
      );
    }
  }
  return plan;
}

/** RLIMIT_NPROC for one command: the user's current tasks (threads included) plus the headroom. */
export function nprocLimit(headroom: number, uid = process.getuid?.()): number {
  if (uid === undefined) return headroom;
  let tasks = 0;
  let names: string[];
  try {
    names = fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {
    return headroom;
  }
  for (const name of names) {
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${name}/status`, "utf8");
    } catch {
      continue;
    }
    const realUid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    if (Number(realUid) !== uid) continue;
    tasks += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
  }
  return tasks + headroom;
}
