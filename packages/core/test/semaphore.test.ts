import { describe, expect, it } from "vitest";
import { isAbortError, Semaphore } from "../src/index.js";

describe("Semaphore", () => {
  it("admits `permits` holders, queues the rest in order, and drops aborted waiters", async () => {
    const sem = new Semaphore(2);
    expect(sem.limit).toBe(2);
    const a = await sem.acquire();
    const b = await sem.acquire();
    expect(sem.inUse).toBe(2);
    const order: string[] = [];
    const c = sem.acquire().then((release) => {
      order.push("c");
      return release;
    });
    const abort = new AbortController();
    const d = sem.acquire(abort.signal);
    const e = sem.acquire().then((release) => {
      order.push("e");
      return release;
    });
    expect(sem.waiting).toBe(3);
    abort.abort(new Error("gave up"));
    await expect(d).rejects.toThrow("gave up");
    expect(sem.waiting).toBe(2);
    a();
    a(); // releasing twice is harmless
    (await c)();
    b();
    (await e)();
    expect(order).toEqual(["c", "e"]);
    expect(sem.inUse).toBe(0);
  });

  it("rejects bad sizes and waits whose signal already aborted, always with an Error", async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new Semaphore(bad)).toThrow(/positive integer of permits \(at least 1\)/);
    }
    const s = new Semaphore(1);
    const release = await s.acquire();
    const aborted = new AbortController();
    aborted.abort();
    const early = await s.acquire(aborted.signal).catch((err: unknown) => err);
    expect(isAbortError(early)).toBe(true);
    const later = new AbortController();
    const waiting = s.acquire(later.signal);
    later.abort("stop");
    await expect(waiting).rejects.toThrow("stop");
    expect(s.waiting).toBe(0);
    release();
    release();
    const again = await s.acquire();
    expect(s.inUse).toBe(1);
    again();
    expect(s.inUse).toBe(0);
  });
});
