/**
 * A push-based async iterable: producers `push`, one consumer iterates. Buffers without bound
 * (agent events are small and consumed promptly); `close` ends iteration, `fail` rethrows in the consumer.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private waitingReject: ((e: unknown) => void) | undefined;
  private closed = false;
  private error: unknown;

  push(value: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.waitingReject = undefined;
      resolve({ value, done: false });
    } else {
      this.buffer.push(value);
    }
  }

  close(): void {
    this.closed = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  fail(error: unknown): void {
    this.error = error;
    this.closed = true;
    this.waitingReject?.(error);
    this.waiting = undefined;
    this.waitingReject = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const value = this.buffer.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.error !== undefined) return Promise.reject(this.error);
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.waitingReject = reject;
        });
      },
      return: () => {
        this.closed = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
