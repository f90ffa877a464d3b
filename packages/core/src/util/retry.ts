export interface BackoffOptions {
  /** First delay in ms (doubles each attempt). */
  baseMs?: number;
  /** Upper bound for one delay in ms. */
  maxMs?: number;
}

/** Exponential backoff with full jitter; a server's Retry-After wins when given (capped at 5 minutes). */
export function backoffDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = {},
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 300_000);
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
