import fs from "node:fs/promises";
import path from "node:path";
import { RuleGate } from "@codetether/core";
import { beforeEach, describe, expect, it } from "vitest";
import { codesearchTool } from "../src/codesearch.js";
import { globTool } from "../src/glob.js";
import { createGrepTool } from "../src/grep.js";
import { which } from "../src/util/which.js";
import { context, run, workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
  await write(ws, ".gitignore", "ignored/\n");
  await write(ws, "src/a.ts", "export function alpha() {\n  return 1;\n}\nconst x = alpha();\n");
  await write(ws, "src/b.py", "def alpha():\n    return 'a.b'\n");
  await write(ws, "src/dir:with:colons/c.ts", "alpha here\n");
  await write(ws, "ignored/secret.ts", "alpha hidden\n");
  await write(ws, "node_modules/pkg/index.js", "alpha vendored\n");
  await write(ws, "bin.dat", Buffer.from([0, 97, 108, 112, 104, 97]));
});

const engines = [
  { name: "js", tool: createGrepTool({ ripgrep: false }) },
  ...(which("rg") ? [{ name: "ripgrep", tool: createGrepTool() }] : []),
];

describe.each(engines)("grep ($name)", ({ name, tool }) => {
  it("finds literal text as path:line: text and honours .gitignore", async () => {
    const res = await run(tool, { pattern: "alpha" }, context(ws));
    expect(res.metadata?.engine).toBe(name);
    const lines = res.output.split("\n").sort();
    expect(lines).toContain("src/a.ts:1: export function alpha() {");
    expect(lines).toContain("src/a.ts:4: const x = alpha();");
    expect(lines).toContain("src/dir:with:colons/c.ts:1: alpha here");
    expect(res.output).not.toContain("ignored/");
    expect(res.output).not.toContain("bin.dat");
  });
  it("treats patterns literally unless regex is set, and filters with include", async () => {
    const literal = await run(tool, { pattern: "a.b" }, context(ws));
    expect(literal.output).toBe("src/b.py:2: return 'a.b'");
    const regex = await run(tool, { pattern: "^def \\w+", regex: true }, context(ws));
    expect(regex.output).toBe("src/b.py:1: def alpha():");
    const included = await run(tool, { pattern: "alpha", include: "*.py" }, context(ws));
    expect(included.output).toBe("src/b.py:1: def alpha():");
    const caseSensitive = await run(tool, { pattern: "ALPHA", caseSensitive: true }, context(ws));
    expect(caseSensitive.output).toContain("No matches");
  });
  it("limits results and reports bad input", async () => {
    const limited = await run(tool, { pattern: "alpha", limit: 2 }, context(ws));
    expect(limited.output.split("\n").filter((l) => l.includes(":"))).toHaveLength(2);
    expect(limited.output).toContain("more matches not shown");
    const badRegex = await run(tool, { pattern: "(unclosed", regex: true }, context(ws));
    expect(badRegex.isError).toBe(true);
    expect(badRegex.output).toContain("Invalid regular expression");
    expect((await run(tool, { pattern: "" }, context(ws))).isError).toBe(true);
    expect((await run(tool, { pattern: "x", path: "nope" }, context(ws))).output).toContain("not found");
    expect((await run(tool, { pattern: "x", path: "../.." }, context(ws))).output).toContain("outside");
  });
  it("cuts a huge matching line to 500 characters and keeps CRLF files' text clean", async () => {
    await write(ws, "min.js", `${"x".repeat(50_000)}NEEDLE${"y".repeat(50_000)}\n`);
    await write(ws, "crlf.txt", "one\r\ntwo NEEDLE\r\n");
    const res = await run(tool, { pattern: "needle" }, context(ws));
    const lines = res.output.split("\n").sort();
    expect(lines).toContain("crlf.txt:2: two NEEDLE");
    const long = lines.find((l) => l.startsWith("min.js:1: "));
    expect(long).toBe(`min.js:1: ${"x".repeat(500)}…`);
  });
});

describe("search confinement", () => {
  it("never reads through a symlink that leaves the workspace, and applies parent .gitignore files", async () => {
    const outside = path.join(ws, "..", "outside-secret.txt");
    await fs.writeFile(outside, "alpha TOP SECRET\n");
    await fs.symlink(outside, path.join(ws, "src", "leak.ts"));
    await write(ws, "src/.gitignore", "gen/\n");
    await write(ws, "src/sub/gen/out.ts", "alpha generated\n");
    await write(ws, ".gitignore", "ignored/\nsrc/sub/skipme.ts\n");
    await write(ws, "src/sub/skipme.ts", "alpha skipped\n");
    for (const { tool } of engines) {
      const all = await run(tool, { pattern: "alpha" }, context(ws));
      expect(all.output).not.toContain("SECRET");
      const sub = await run(tool, { pattern: "alpha", path: "src/sub" }, context(ws));
      expect(sub.output).not.toContain("generated");
      expect(sub.output).not.toContain("skipped");
    }
    const cs = await run(codesearchTool, { pattern: "alpha" }, context(ws));
    expect(cs.output).not.toContain("SECRET");
    const sub = await run(codesearchTool, { pattern: "alpha", path: "src/sub" }, context(ws));
    expect(sub.output).not.toContain("generated");
    expect(sub.output).not.toContain("skipped");
    const globbed = await run(globTool, { pattern: "./src/**/*.ts", path: "." }, context(ws));
    expect(globbed.output).toContain("src/a.ts");
    expect(globbed.output).not.toContain("leak.ts");
  });
});

describe("permission rules inside searches", () => {
  it("keeps files denied to read out of grep and codesearch results", async () => {
    await write(ws, ".env", "alpha SECRET=hunter2\n");
    await write(ws, "config/.env.local", "alpha SECRET=local\n");
    const gate = new RuleGate({ rules: [{ tool: "read", path: ".env*", action: "deny" }] });
    for (const { tool } of engines) {
      const res = await run(tool, { pattern: "alpha" }, context(ws, { services: { gate } }), gate);
      expect(res.output).toContain("src/a.ts");
      expect(res.output).not.toContain("SECRET");
      expect(res.output).toContain("2 file(s) hidden by permission rules");
      const open = await run(tool, { pattern: "SECRET" }, context(ws));
      expect(open.output).toContain("hunter2");
    }
    const cs = await run(codesearchTool, { pattern: "alpha" }, context(ws, { services: { gate } }), gate);
    expect(cs.output).toContain("src/a.ts");
    expect(cs.output).not.toContain("SECRET");
  });
});

describe("codesearch", () => {
  it("shows matches with context, skipping vendored and ignored dirs", async () => {
    const res = await run(codesearchTool, { pattern: "return", contextLines: 1 }, context(ws));
    expect(res.output).toContain("src/a.ts:");
    expect(res.output).toContain(">    2|   return 1;");
    expect(res.output).toContain("     1| export function alpha() {");
    const all = await run(codesearchTool, { pattern: "alpha" }, context(ws));
    expect(all.output).not.toContain("vendored");
    expect(all.output).not.toContain("hidden");
    const filtered = await run(codesearchTool, { pattern: "alpha", filePattern: "*.py" }, context(ws));
    expect(filtered.output).not.toContain("a.ts");
    expect(filtered.output).toContain("b.py");
  });
  it("reports bad regexes, missing paths and no matches", async () => {
    expect((await run(codesearchTool, { pattern: "[" }, context(ws))).output).toContain("Invalid regular");
    expect((await run(codesearchTool, { pattern: "x", path: "zz" }, context(ws))).output).toContain(
      "not found",
    );
    expect((await run(codesearchTool, { pattern: "zzzz" }, context(ws))).output).toContain("No matches");
    expect((await run(codesearchTool, { pattern: "a", contextLines: 99 }, context(ws))).isError).toBe(true);
  });
});
