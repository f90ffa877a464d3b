import { describe, expect, it } from "vitest";
import { formatReadWindow } from "../src/index.js";

describe("formatReadWindow", () => {
  it("numbers lines, pages with a footer, cuts long lines and refuses an offset past the end", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);
    const page = formatReadWindow(lines, "a.txt", 9, 2);
    expect(page).toEqual({
      ok: true,
      output: "   9| line 9\n  10| line 10\n\n(lines 9-10 of 12; continue with offset 11)",
      stats: { totalLines: 12, readLines: 2, truncated: true },
    });
    const long = formatReadWindow(["x".repeat(2001)], "b.txt");
    expect(long.ok && long.output).toBe(`   1| ${"x".repeat(2000)}… [line cut]`);
    expect(formatReadWindow([], "empty.txt")).toMatchObject({ ok: true, output: "(empty file)" });
    expect(formatReadWindow(lines, "a.txt", 13)).toEqual({
      ok: false,
      error: "offset 13 is past the end of a.txt, which has 12 lines.",
    });
  });
});
