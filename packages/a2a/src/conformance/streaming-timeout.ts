/**
 * `TCK_STREAMING_TIMEOUT` (seconds, default 2.0) in milliseconds. Invalid values throw an error that names
 * the variable. Its own file (no SDK import) so `serve --a2a-conformance` checks it at start-up through
 * `@codetether/a2a/lite`.
 */
export function streamingTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TCK_STREAMING_TIMEOUT;
  if (raw === undefined || raw.trim() === "") return 2000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new Error(`TCK_STREAMING_TIMEOUT must be a number of seconds between 0 and 3600 (got "${raw}").`);
  }
  return Math.round(seconds * 1000);
}
