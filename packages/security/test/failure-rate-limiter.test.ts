import { describe, expect, it } from "vitest";
import { FailureRateLimiter } from "../src/index.js";

describe("FailureRateLimiter", () => {
  it("locks an address out after maxFailures within the window and releases it when they age out", () => {
    let now = 1_000_000;
    const limiter = new FailureRateLimiter({ maxFailures: 3, windowMs: 10_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs("a")).toBe(0);
      limiter.recordFailure("a");
      now += 1000;
    }
    expect(limiter.retryAfterMs("a")).toBe(7000); // first failure at t0 expires at t0 + 10s; now = t0 + 3s
    expect(limiter.retryAfterMs("b")).toBe(0);
    now += 7000;
    expect(limiter.retryAfterMs("a")).toBe(0);
  });

  it("rejects nonsensical options", () => {
    expect(() => new FailureRateLimiter({ maxFailures: 0, windowMs: 1000 })).toThrow(/maxFailures/);
    expect(() => new FailureRateLimiter({ maxFailures: 1, windowMs: Number.NaN })).toThrow(/windowMs/);
  });
});
