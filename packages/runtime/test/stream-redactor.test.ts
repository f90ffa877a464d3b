import { describe, expect, it } from "vitest";
import { StreamRedactor } from "../src/stream-redactor.js";

const SECRET = "sk-abcdef0123456789";
const mask = (text: string) => text.split(SECRET).join("[REDACTED]");
const redactor = () => new StreamRedactor(() => [SECRET], mask);

/** Feeds `pieces` and returns everything emitted, flush included. */
function feed(pieces: string[]): { out: string[]; all: string } {
  const r = redactor();
  const out = pieces.map((p) => r.push(p));
  out.push(r.flush());
  return { out, all: out.join("") };
}

describe("StreamRedactor", () => {
  it("masks a secret split across pieces at every cut, and emits everything else", () => {
    const text = `before ${SECRET} after`;
    for (let cut = 1; cut < text.length; cut++) {
      const { out, all } = feed([text.slice(0, cut), text.slice(cut)]);
      expect(all).toBe("before [REDACTED] after");
      for (const piece of out) expect(piece).not.toContain("sk-abc");
    }
  });

  it("a secret in one-character pieces never shows", () => {
    const { out, all } = feed([...`x${SECRET}y`]);
    expect(all).toBe("x[REDACTED]y");
    expect(out.join("|")).not.toMatch(/s\|?k\|?-/);
  });

  it("holds back only what could start a secret; a prefix that never completes is flushed at the end", () => {
    const r = redactor();
    expect(r.push("hello sk-ab")).toBe("hello ");
    expect(r.push("X tail")).toBe("sk-abX tail");
    expect(r.push("end sk-a")).toBe("end ");
    expect(r.flush()).toBe("sk-a");
    expect(r.flush()).toBe("");
  });

  it("secrets learnt mid-stream count from the next piece", () => {
    const known: string[] = [];
    const r = new StreamRedactor(
      () => known,
      (t) => known.reduce((s, k) => s.split(k).join("[REDACTED]"), t),
    );
    expect(r.push("a sk-ab")).toBe("a sk-ab");
    known.push(SECRET);
    // What was emitted before the value was known stays emitted; the rest passes.
    expect(r.push("cdef0123456789 b") + r.flush()).toBe("cdef0123456789 b");
    expect(r.push(`${SECRET.slice(0, 5)}`) + r.push(`${SECRET.slice(5)}!`) + r.flush()).toBe("[REDACTED]!");
  });
});
