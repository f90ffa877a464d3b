/** A value loaded on first use (see {@link lazyLoad}). */
export interface LazyLoad<T> {
  /** The value, loading it on the first call; concurrent first calls share one load. */
  get(): Promise<T>;
  /** The value once loaded, else undefined (no load is started). */
  readonly loaded: T | undefined;
  /** The load in progress, if any (so shutdown can wait for it). */
  readonly pending: Promise<T> | undefined;
}

/**
 * Loads `load()` once, on the first `get()`. Concurrent callers share the one promise, so a burst of first
 * requests loads the stack once. A failed load is forgotten: the next `get()` tries again (the error may
 * have been transient, e.g. too many open files), and every caller of the failed load sees its error.
 */
export function lazyLoad<T>(load: () => Promise<T>): LazyLoad<T> {
  let loaded: T | undefined;
  let pending: Promise<T> | undefined;
  return {
    get() {
      if (loaded !== undefined) return Promise.resolve(loaded);
      pending ??= load().then(
        (value) => {
          loaded = value;
          pending = undefined;
          return value;
        },
        (err: unknown) => {
          pending = undefined;
          throw err;
        },
      );
      return pending;
    },
    get loaded() {
      return loaded;
    },
    get pending() {
      return pending;
    },
  };
}
