import type { Provider } from "./provider.js";

/**
 * Starts `provider.warm()` (its SDK import and client) and returns at once, so the caller builds tools and the
 * session while the SDK loads. Whatever goes wrong is left for the first request to report with its own error.
 */
export function warmProvider(provider: Provider): void {
  try {
    provider.warm?.().catch(() => undefined);
  } catch {
    // A custom provider's warm() threw synchronously: the first request reports the real problem.
  }
}
