export interface RateLimitOptions {
  /** Failed attempts allowed per client address within `windowMs` before it is locked out. */
  maxFailures: number;
  windowMs: number;
}

const MAX_TRACKED_CLIENTS = 10_000;

/** Sliding-window counter of failed authentication attempts per client address. */
export class FailureRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (!(options.maxFailures >= 1) || !(options.windowMs >= 1)) {
      throw new RangeError("rateLimit needs maxFailures >= 1 and windowMs >= 1");
    }
  }

  /** Milliseconds until `client` may try again, or 0 if it is not locked out. */
  retryAfterMs(client: string): number {
    const recent = this.recent(client);
    if (recent.length < this.options.maxFailures) return 0;
    const unlockAt = recent[recent.length - this.options.maxFailures]! + this.options.windowMs;
    return Math.max(1, unlockAt - this.now());
  }

  recordFailure(client: string): void {
    const recent = this.recent(client);
    recent.push(this.now());
    this.failures.set(client, recent);
    if (this.failures.size > MAX_TRACKED_CLIENTS) this.prune();
  }

  private recent(client: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    const list = (this.failures.get(client) ?? []).filter((time) => time > cutoff);
    if (list.length === 0) this.failures.delete(client);
    else this.failures.set(client, list);
    return list;
  }

  private prune(): void {
    for (const client of [...this.failures.keys()]) this.recent(client);
    // Still too many distinct addresses: drop the oldest entries (Map keeps insertion order).
    for (const client of this.failures.keys()) {
      if (this.failures.size <= MAX_TRACKED_CLIENTS) break;
      this.failures.delete(client);
    }
  }
}
