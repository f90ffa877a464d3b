// Measuring helpers: wall time of whole processes, and peak RSS of a child (Linux /proc).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

/** Wall-clock ms of one run of a command (spawned directly, no shell). */
export function timeCommand(cmd, args, options = {}) {
  const start = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${res.status}: ${res.stderr?.toString().slice(0, 400)}`);
  }
  return ms;
}

/** Runs `subject` and `baseline` alternately `runs` times (interleaved, so drift hits both alike). */
export function interleave(runs, fns) {
  const out = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, fn] of Object.entries(fns)) out[k].push(fn());
  return out;
}

/** Peak RSS (VmHWM) of a running process, in MB. */
export function peakRssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = status.match(/VmHWM:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Current RSS (VmRSS) of a running process, in MB. */
export function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = status.match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a long-running child and resolves when `ready(line)` matches a stdout line. */
export function startChild(cmd, args, { ready, env, cwd, timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: env ?? process.env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let buf = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} did not become ready in ${timeoutMs} ms: ${err.slice(0, 400)}`));
    }, timeoutMs);
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.stdout.on("data", (d) => {
      buf += d;
      for (const line of buf.split("\n")) {
        const m = ready(line);
        if (m) {
          clearTimeout(timer);
          resolve({ child, match: m });
          return;
        }
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited ${code} before ready: ${err.slice(0, 400)}`));
    });
  });
}
