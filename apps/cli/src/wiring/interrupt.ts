import { ExitCode } from "../exit-codes.js";

/**
 * Signals that end a run. SIGHUP (terminal closed, ssh dropped) is one of them: left to its default it kills
 * node at once and the bash tool's detached process groups keep running.
 */
const ENDING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Runs `fn` with an AbortSignal tied to Ctrl+C/SIGTERM/SIGHUP: the first signal aborts gracefully (sessions are
 * saved, sub-processes killed), a second one exits at once with 130.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) controller.abort(new Error("interrupted"));
    else process.exit(ExitCode.Interrupted);
  };
  for (const name of ENDING_SIGNALS) process.on(name, onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    for (const name of ENDING_SIGNALS) process.off(name, onSignal);
  }
}
