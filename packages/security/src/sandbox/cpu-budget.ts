import fs from "node:fs";
import path from "node:path";

const POLL_MS = 200;

/**
 * Bounds the CPU time of a whole process tree: RLIMIT_CPU is per process, so three burners under a 4 s limit
 * use 12 s. The tree runs in its own cgroup; we poll its CPU usage (cgroup v1 `cpuacct.usage`, v2
 * `cpu.stat` usage_usec) and SIGKILL every process in it once the total passes `seconds`. Stops by itself when
 * the group has run and emptied; `stop()` ends it early. The timer never keeps codetether alive.
 */
export function watchCpuBudget(dir: string, seconds: number): { stop(): void } {
  const limitUs = seconds * 1_000_000;
  let seen = false;
  const timer = setInterval(() => {
    const procs = readProcs(dir);
    if (procs === undefined) return stop();
    if (procs.length === 0) {
      if (seen) stop();
      return;
    }
    seen = true;
    const used = cpuUsageUs(dir);
    if (used !== undefined && used > limitUs) {
      for (const pid of procs) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  }, POLL_MS);
  timer.unref();
  const stop = () => clearInterval(timer);
  return { stop };
}

/** Microseconds of CPU used by the cgroup so far, or undefined when the files are unreadable. */
export function cpuUsageUs(dir: string): number | undefined {
  try {
    const v1 = fs.readFileSync(path.join(dir, "cpuacct.usage"), "utf8");
    return Number(v1.trim()) / 1000;
  } catch {
    // not v1
  }
  try {
    const stat = fs.readFileSync(path.join(dir, "cpu.stat"), "utf8");
    const match = /^usage_usec (\d+)$/m.exec(stat);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function readProcs(dir: string): number[] | undefined {
  try {
    return fs.readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return undefined;
  }
}
