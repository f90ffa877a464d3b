import { describe, expect, it } from "vitest";
import { ProviderError } from "../src/index.js";

/** What a ProviderError class from another copy of @codetether/core looks like: same brand, other prototype. */
function otherCopyError(): Error {
  class OtherProviderError extends Error {
    kind = "rate_limit";
  }
  Object.defineProperty(OtherProviderError.prototype, Symbol.for("codetether.ProviderError"), {
    value: true,
  });
  return new OtherProviderError("slow down");
}

describe("ProviderError instanceof across copies of the package", () => {
  it("holds for this copy's errors and for another copy's, not for other errors", () => {
    expect(new ProviderError("x", { provider: "p", kind: "auth" }) instanceof ProviderError).toBe(true);
    expect(otherCopyError() instanceof ProviderError).toBe(true);
    expect(new Error("x") instanceof ProviderError).toBe(false);
    expect((null as unknown) instanceof ProviderError).toBe(false);
    expect(("ProviderError" as unknown) instanceof ProviderError).toBe(false);
  });

  it("keeps the ordinary check for subclasses, and the brand off the instance", () => {
    class SubError extends ProviderError {}
    const own = new ProviderError("x", { provider: "p", kind: "server" });
    expect(new SubError("x", { provider: "p", kind: "server" }) instanceof SubError).toBe(true);
    expect(own instanceof SubError).toBe(false);
    expect(otherCopyError() instanceof SubError).toBe(false);
    expect(Object.getOwnPropertySymbols(own)).toEqual([]);
    expect(JSON.stringify(own)).not.toContain("codetether");
  });
});
