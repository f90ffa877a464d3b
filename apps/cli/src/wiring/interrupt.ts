import { ExitCode } from "../exit-codes.js";

/**
 * Runs `fn` with an AbortSignal tied to Ctrl+C/SIGTERM: the first signal aborts gracefully (sessions are
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
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
