/** One value published by a sub-agent (or by the swarm for a finished subtask). */
export interface SharedResult {
  key: string;
  value: string;
  producer: string;
  tags: string[];
  publishedAt: number;
}

export interface ResultStoreLimits {
  /** Entries kept per run (default 1000). */
  maxEntries?: number;
  /** Largest value in characters (default 100 000). */
  maxValueChars?: number;
}

const KEY_PATTERN = /^[A-Za-z0-9_.:/-]{1,200}$/;

/**
 * In-memory results shared by the sub-agents of one swarm run. Bounded, so a runaway agent cannot
 * grow the process without limit; a rejected write says why.
 */
export class ResultStore {
  private readonly entries = new Map<string, SharedResult>();
  readonly maxEntries: number;
  readonly maxValueChars: number;

  constructor(limits: ResultStoreLimits = {}) {
    this.maxEntries = limits.maxEntries ?? 1000;
    this.maxValueChars = limits.maxValueChars ?? 100_000;
  }

  publish(entry: Omit<SharedResult, "publishedAt">): SharedResult {
    if (!KEY_PATTERN.test(entry.key))
      throw new Error(`Invalid key "${entry.key.slice(0, 60)}": use 1-200 letters, digits or "_ . : / -".`);
    if (entry.value.length > this.maxValueChars)
      throw new Error(
        `Value for "${entry.key}" is ${entry.value.length} characters; the limit is ${this.maxValueChars}. Publish a summary instead.`,
      );
    if (!this.entries.has(entry.key) && this.entries.size >= this.maxEntries)
      throw new Error(`The shared store is full (${this.maxEntries} entries); reuse an existing key.`);
    const stored: SharedResult = { ...entry, tags: [...new Set(entry.tags)], publishedAt: Date.now() };
    this.entries.set(entry.key, stored);
    return stored;
  }

  get(key: string): SharedResult | undefined {
    return this.entries.get(key);
  }

  /** Entries having every tag in `tags` and starting with `prefix`, oldest first. */
  query(filter: { tags?: string[]; prefix?: string } = {}): SharedResult[] {
    return [...this.entries.values()].filter(
      (e) =>
        (!filter.prefix || e.key.startsWith(filter.prefix)) &&
        (filter.tags ?? []).every((tag) => e.tags.includes(tag)),
    );
  }

  get size(): number {
    return this.entries.size;
  }
}
