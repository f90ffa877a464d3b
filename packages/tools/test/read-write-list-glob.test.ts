import fs from "node:fs/promises";
import path from "node:path";
import { RuleGate } from "@codetether/core";
import { beforeEach, describe, expect, it } from "vitest";
import { globTool } from "../src/glob.js";
import { listTool } from "../src/list.js";
import { readTool } from "../src/read.js";
import { writeTool } from "../src/write.js";
import { context, run, workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});

describe("read", () => {
  it("numbers lines and pages with offset/limit", async () => {
    await write(ws, "a.txt", "one\ntwo\nthree\nfour\n");
    const all = await run(readTool, { path: "a.txt" }, context(ws));
    expect(all.isError).toBeFalsy();
    expect(all.output).toBe("   1| one\n   2| two\n   3| three\n   4| four");
    const page = await run(readTool, { path: "a.txt", offset: 2, limit: 2 }, context(ws));
    expect(page.output).toContain("   2| two\n   3| three");
    expect(page.output).toContain("continue with offset 4");
    expect(page.output).not.toContain("one");
  });
  it("gives clear errors for missing files, directories, binaries, bad params", async () => {
    await write(ws, "config.json", "{}");
    const missing = await run(readTool, { path: "confg.json" }, context(ws));
    expect(missing.isError).toBe(true);
    expect(missing.output).toContain("File not found: confg.json");
    await fs.mkdir(path.join(ws, "dir"));
    const dir = await run(readTool, { path: "dir" }, context(ws));
    expect(dir.output).toContain("is a directory");
    await write(ws, "bin.dat", new Uint8Array([0x89, 0x50, 0x00, 0x01, 0x02]));
    const bin = await run(readTool, { path: "bin.dat" }, context(ws));
    expect(bin.isError).toBe(true);
    expect(bin.output).toContain("binary file");
    const bad = await run(readTool, { offset: 0 }, context(ws));
    expect(bad.isError).toBe(true);
    expect(bad.output).toContain("path");
    expect(bad.output).toContain("offset");
    const past = await run(readTool, { path: "config.json", offset: 9 }, context(ws));
    expect(past.output).toContain("past the end");
  });
  it("pages huge files and cuts very long lines", async () => {
    const lines = Array.from({ length: 2500 }, (_, i) => `line ${i + 1}`);
    lines[9] = "x".repeat(5000);
    await write(ws, "big.txt", `${lines.join("\n")}\n`);
    const res = await run(readTool, { path: "big.txt" }, context(ws));
    expect(res.output).toContain("2000| line 2000");
    expect(res.output).not.toContain("line 2001");
    expect(res.output).toContain("(lines 1-2000 of 2500; continue with offset 2001)");
    expect(res.output).toContain("… [line cut]");
    expect(res.output.length).toBeLessThan(40_000);
  });
  it("refuses paths that escape the workspace through .. or a symlink", async () => {
    const outside = path.join(ws, "..", "secret.txt");
    await fs.writeFile(outside, "top secret");
    const dotdot = await run(readTool, { path: "../secret.txt" }, context(ws));
    expect(dotdot.isError).toBe(true);
    expect(dotdot.output).toContain("outside the workspace");
    await fs.symlink(outside, path.join(ws, "link.txt"));
    const viaLink = await run(readTool, { path: "link.txt" }, context(ws));
    expect(viaLink.isError).toBe(true);
    expect(viaLink.output).not.toContain("top secret");
  });
});

describe("write", () => {
  it("creates parent directories and overwrites atomically", async () => {
    const res = await run(writeTool, { path: "deep/er/file.ts", content: "x\n" }, context(ws));
    expect(res.output).toContain("Created deep/er/file.ts");
    expect(await fs.readFile(path.join(ws, "deep/er/file.ts"), "utf8")).toBe("x\n");
    const again = await run(writeTool, { path: "deep/er/file.ts", content: "y" }, context(ws));
    expect(again.output).toContain("Wrote");
    expect(await fs.readFile(path.join(ws, "deep/er/file.ts"), "utf8")).toBe("y");
    expect((await fs.readdir(path.join(ws, "deep/er"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
  it("a write denied by a rule never touches disk", async () => {
    const gate = new RuleGate({ rules: [{ tool: "write", path: ".env*", action: "deny" }] });
    const res = await run(writeTool, { path: ".env.local", content: "KEY=1" }, context(ws), gate);
    expect(res.isError).toBe(true);
    expect(res.output).toContain("Permission denied");
    await expect(fs.stat(path.join(ws, ".env.local"))).rejects.toThrow();
    const ask = new RuleGate({ rules: [{ tool: "write", action: "ask" }], autoApprove: "safe" });
    const asked = await run(writeTool, { path: "b.txt", content: "x" }, context(ws), ask);
    expect(asked.isError).toBe(true);
    await expect(fs.stat(path.join(ws, "b.txt"))).rejects.toThrow();
  });
  it("refuses writes through a symlinked directory that leaves the workspace", async () => {
    const outside = await fs.mkdtemp(path.join(ws, "..", "out-"));
    await fs.symlink(outside, path.join(ws, "escape"));
    const res = await run(writeTool, { path: "escape/pwned.txt", content: "x" }, context(ws));
    expect(res.isError).toBe(true);
    expect(res.output).toContain("outside the workspace");
    expect(await fs.readdir(outside)).toEqual([]);
  });
  it("writes through a symlink inside the workspace, keeping the link", async () => {
    await write(ws, "real/target.txt", "old");
    await fs.symlink(path.join(ws, "real/target.txt"), path.join(ws, "alias.txt"));
    const res = await run(writeTool, { path: "alias.txt", content: "new" }, context(ws));
    expect(res.isError).toBeFalsy();
    expect((await fs.lstat(path.join(ws, "alias.txt"))).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(ws, "real/target.txt"), "utf8")).toBe("new");
  });
  it("rejects missing content and a directory target", async () => {
    expect((await run(writeTool, { path: "a" }, context(ws))).output).toContain("content");
    await fs.mkdir(path.join(ws, "d"));
    expect((await run(writeTool, { path: "d", content: "" }, context(ws))).output).toContain(
      "is a directory",
    );
  });
});

describe("list and glob", () => {
  beforeEach(async () => {
    await write(ws, ".gitignore", "ignored/\n*.log\n");
    await write(ws, "src/a.ts", "a");
    await write(ws, "src/sub/b.ts", "b");
    await write(ws, "ignored/c.ts", "c");
    await write(ws, "debug.log", "log");
    await write(ws, ".git/HEAD", "ref");
  });
  it("list marks directories and honours .gitignore", async () => {
    const res = await run(listTool, {}, context(ws));
    expect(res.output.split("\n").slice(1)).toEqual([".gitignore", "src/"]);
    const filtered = await run(listTool, { ignore: ["*.ignore*", ".git*"] }, context(ws));
    expect(filtered.output.split("\n").slice(1)).toEqual(["src/"]);
    const missing = await run(listTool, { path: "nope" }, context(ws));
    expect(missing.output).toContain("Directory not found");
    const file = await run(listTool, { path: "src/a.ts" }, context(ws));
    expect(file.output).toContain("is a file");
  });
  it("glob finds files recursively and skips ignored ones", async () => {
    const res = await run(globTool, { pattern: "**/*.ts" }, context(ws));
    expect(res.output.split("\n").sort()).toEqual(["src/a.ts", "src/sub/b.ts"]);
    const base = await run(globTool, { pattern: "*.log" }, context(ws));
    expect(base.output).toContain("No files match");
    const limited = await run(globTool, { pattern: "**/*.ts", limit: 1 }, context(ws));
    expect(limited.output).toContain("1 more matches");
    expect((await run(globTool, { pattern: "" }, context(ws))).isError).toBe(true);
    expect((await run(globTool, { pattern: "*", path: "../" }, context(ws))).output).toContain("outside");
  });
});
