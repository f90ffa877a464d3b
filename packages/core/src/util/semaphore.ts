import { abortError } from "./abort.js";

/**
 * A counting semaphore: at most `permits` holders at once. Waiters are served first come, first served and
 * may give up through an abort signal (they reject with the signal's reason as an Error).
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];

  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1)
      throw new Error(`Semaphore needs a positive integer of permits (at least 1), got ${permits}.`);
  }

  /** Same as `permits`. */
  get limit(): number {
    return this.permits;
  }

  /** Permits held right now. */
  get inUse(): number {
    return this.active;
  }

  /** Callers queued for a permit. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Waits for a permit; resolves to its release function (calling it more than once is harmless). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw abortError(signal);
    if (this.active < this.permits) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortError(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The permit passes straight to the next waiter; `active` stays the same.
      if (next) next.resolve();
      else this.active--;
    };
  }
}
