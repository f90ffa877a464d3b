import type { ChildProcess } from "node:child_process";

/** Signals the whole process group of a child spawned with `detached: true`, falling back to the child. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM the group, then SIGKILL after a grace period if it is still alive. */
export function terminateGroup(child: ChildProcess, graceMs = 2000): void {
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
  timer.unref();
  child.once("exit", () => {
    // the leader is gone; make sure its children are too
    killGroup(child, "SIGKILL");
    clearTimeout(timer);
  });
}
