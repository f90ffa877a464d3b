import { createHash } from "node:crypto";

/** What a cached sub-agent run produced. */
export interface CachedOutput {
  output: string;
  steps: number;
}

/**
 * Results of identical sub-queries (same model, instruction, specialty, tools and dependency context),
 * shared by concurrent sub-agents: the second asker awaits the first run instead of repeating it.
 * Bounded LRU; failed runs are not cached. Pass one instance to several runs to share across runs.
 */
export class SubtaskCache {
  private readonly entries = new Map<string, Promise<CachedOutput>>();
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries = 500) {}

  static key(parts: Record<string, unknown>): string {
    return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  }

  /** Returns the cached output for `key`, or runs `compute` once and caches it when it succeeds. */
  async getOrCompute(
    key: string,
    compute: () => Promise<CachedOutput>,
  ): Promise<{ value: CachedOutput; cached: boolean }> {
    const existing = this.entries.get(key);
    if (existing) {
      this.entries.delete(key);
      this.entries.set(key, existing);
      try {
        const value = await existing;
        this.hits++;
        return { value, cached: true };
      } catch {
        // The first run failed; fall through and try ourselves.
      }
    }
    this.misses++;
    const pending = compute();
    this.entries.set(key, pending);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    try {
      return { value: await pending, cached: false };
    } catch (err) {
      if (this.entries.get(key) === pending) this.entries.delete(key);
      throw err;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
