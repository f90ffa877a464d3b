import type { Runtime } from "./runtime.js";

/** Runs `fn`, then closes the runtime (audit log, language/MCP servers, secret-store timers) even on errors. */
export async function usingRuntime<T>(runtime: Runtime, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await runtime.close();
  }
}
