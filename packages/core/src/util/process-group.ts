import type { ChildProcess } from "node:child_process";
import { onProcessExit } from "./exit-cleanup.js";

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

/** Leaders of detached groups still running; their groups are killed if codetether dies from a signal. */
const liveGroups = new Set<ChildProcess>();
const ENDING_SIGNALS = ["SIGHUP", "SIGTERM"] as const;
let hooked = false;

/**
 * Remembers a detached child until it exits. If a SIGHUP/SIGTERM would end codetether by default (no other
 * listener: the TUI and ACP install none, `run` aborts through its own), every live group is SIGKILLed first and
 * the signal is re-raised; on a normal `exit` they are killed too. Without this, detached groups outlive us.
 */
export function trackGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  liveGroups.add(child);
  child.once("exit", () => liveGroups.delete(child));
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const leader of liveGroups) killGroup(leader, "SIGKILL");
    liveGroups.clear();
  };
  onProcessExit(killAll);
  for (const signal of ENDING_SIGNALS) {
    const onSignal = () => {
      // Someone else handles this signal (a graceful abort that terminates the groups itself).
      if (process.listenerCount(signal) > 1) return;
      killAll();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
