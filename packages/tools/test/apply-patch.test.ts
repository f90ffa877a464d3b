import fs from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { applyPatchTool } from "../src/apply_patch.js";
import { context, run, workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});
const read = (rel: string) => fs.readFile(path.join(ws, rel), "utf8");
const exists = (rel: string) =>
  fs.stat(path.join(ws, rel)).then(
    () => true,
    () => false,
  );

describe("apply_patch: envelope", () => {
  it("adds, updates, moves and deletes files", async () => {
    await write(ws, "src/a.ts", "line1\nline2\nline3\n");
    await write(ws, "src/old.ts", "export const x = 1;\n");
    await write(ws, "gone.txt", "bye\n");
    const patch = [
      "*** Begin Patch",
      "*** Add File: src/new.ts",
      "+export const n = 1;",
      "*** Update File: src/a.ts",
      "@@",
      " line1",
      "-line2",
      "+LINE2",
      " line3",
      "*** Update File: src/old.ts",
      "*** Move to: src/renamed.ts",
      "@@",
      "-export const x = 1;",
      "+export const x = 2;",
      "*** Delete File: gone.txt",
      "*** End Patch",
    ].join("\n");
    const res = await run(applyPatchTool, { patch }, context(ws));
    expect(res.isError).toBeFalsy();
    expect(await read("src/new.ts")).toBe("export const n = 1;\n");
    expect(await read("src/a.ts")).toBe("line1\nLINE2\nline3\n");
    expect(await read("src/renamed.ts")).toBe("export const x = 2;\n");
    expect(await exists("src/old.ts")).toBe(false);
    expect(await exists("gone.txt")).toBe(false);
  });
  it("checks every hunk first: a failing hunk writes nothing and shows nearest context", async () => {
    await write(ws, "a.ts", "alpha\nbeta\ngamma\n");
    await write(ws, "b.ts", "one\ntwo\n");
    const patch = [
      "*** Begin Patch",
      "*** Update File: a.ts",
      "-alpha",
      "+ALPHA",
      "*** Update File: b.ts",
      " one",
      "-twoo",
      "+three",
      "*** Add File: c.ts",
      "+c",
      "*** End Patch",
    ].join("\n");
    const res = await run(applyPatchTool, { patch }, context(ws));
    expect(res.isError).toBe(true);
    expect(res.output).toContain("Hunk 1 of b.ts does not apply");
    expect(res.output).toContain("Nearest matching context");
    expect(res.output).toContain("2| two");
    expect(await read("a.ts")).toBe("alpha\nbeta\ngamma\n");
    expect(await exists("c.ts")).toBe(false);
  });
  it("rejects malformed envelopes and impossible operations", async () => {
    const noEnd = await run(applyPatchTool, { patch: "*** Begin Patch\n*** Add File: x\n+x\n" }, context(ws));
    expect(noEnd.output).toContain("End Patch");
    const garbage = await run(applyPatchTool, { patch: "hello" }, context(ws));
    expect(garbage.output).toContain("no file changes");
    await write(ws, "x", "x\n");
    const dupAdd = await run(
      applyPatchTool,
      { patch: "*** Begin Patch\n*** Add File: x\n+y\n*** End Patch" },
      context(ws),
    );
    expect(dupAdd.output).toContain("already exists");
    const delMissing = await run(
      applyPatchTool,
      { patch: "*** Begin Patch\n*** Delete File: nope\n*** End Patch" },
      context(ws),
    );
    expect(delMissing.output).toContain("does not exist");
    const escaped = await run(
      applyPatchTool,
      { patch: "*** Begin Patch\n*** Add File: ../evil.sh\n+rm -rf /\n*** End Patch" },
      context(ws),
    );
    expect(escaped.output).toContain("outside the workspace");
    expect(await exists("../evil.sh")).toBe(false);
  });
});

describe("apply_patch: unified diff", () => {
  it("applies git diffs with several hunks, adds and deletes", async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    await write(ws, "f.txt", `${lines.join("\n")}\n`);
    await write(ws, "del.txt", "d\n");
    const patch = [
      "diff --git a/f.txt b/f.txt",
      "--- a/f.txt",
      "+++ b/f.txt",
      "@@ -1,3 +1,3 @@",
      " l1",
      "-l2",
      "+L2",
      " l3",
      "@@ -17,4 +17,5 @@",
      " l17",
      " l18",
      "+inserted",
      " l19",
      " l20",
      "--- /dev/null",
      "+++ b/added.txt",
      "@@ -0,0 +1,2 @@",
      "+new1",
      "+new2",
      "--- a/del.txt",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-d",
    ].join("\n");
    const res = await run(applyPatchTool, { patch }, context(ws));
    expect(res.isError).toBeFalsy();
    const out = await read("f.txt");
    expect(out).toContain("l1\nL2\nl3");
    expect(out).toContain("l18\ninserted\nl19");
    expect(await read("added.txt")).toBe("new1\nnew2\n");
    expect(await exists("del.txt")).toBe(false);
  });
  it("applies a pure git rename", async () => {
    await write(ws, "old.txt", "same\n");
    const patch =
      "diff --git a/old.txt b/new.txt\nsimilarity index 100%\nrename from old.txt\nrename to new.txt\n";
    const res = await run(applyPatchTool, { patch }, context(ws));
    expect(res.output).toContain("R old.txt -> new.txt");
    expect(await read("new.txt")).toBe("same\n");
    expect(await exists("old.txt")).toBe(false);
  });
  it("dry run writes nothing; a stale diff writes nothing", async () => {
    await write(ws, "f.txt", "a\nb\n");
    const patch = "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n";
    const dry = await run(applyPatchTool, { patch, dryRun: true }, context(ws));
    expect(dry.output).toContain("applies cleanly");
    expect(await read("f.txt")).toBe("a\nb\n");
    await write(ws, "f.txt", "a\nchanged\n");
    const stale = await run(applyPatchTool, { patch }, context(ws));
    expect(stale.isError).toBe(true);
    expect(await read("f.txt")).toBe("a\nchanged\n");
  });
});
