import fs from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { editTool } from "../src/edit.js";
import { multieditTool } from "../src/multiedit.js";
import { replaceInContent } from "../src/util/edit-matchers.js";
import { context, run, workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});
const read = (rel: string) => fs.readFile(path.join(ws, rel), "utf8");

describe("edit matchers", () => {
  const code = "function f() {\n    if (a) {\n        return 1;\n    }\n}\n";
  it("prefers an exact unique match", () => {
    const r = replaceInContent(code, "return 1;", "return 2;", false);
    expect(r).toMatchObject({ ok: true, matcher: "exact" });
  });
  it("tolerates trimmed lines, whitespace and indentation differences", () => {
    const trimmed = replaceInContent(
      code,
      "if (a) {\n  return 1;\n}",
      "if (a) {\n        return 3;\n    }",
      false,
    );
    expect(trimmed).toMatchObject({ ok: true, matcher: "line-trimmed" });
    if (trimmed.ok) expect(trimmed.content).toContain("return 3;");
    const ws2 = replaceInContent("const  x =   1;\n", "const x = 1;", "const x = 2;", false);
    expect(ws2).toMatchObject({ ok: true, matcher: "whitespace-normalized" });
  });
  it("anchors a block on its first and last line when the middle is similar", () => {
    const src = "start()\nalpha(1)\nbeta(2)\nend()\nother\n";
    const r = replaceInContent(src, "start()\nalpha(1)\nbeta(3)\nend()", "replaced", false);
    expect(r).toMatchObject({ ok: true, matcher: "block-anchor" });
    if (r.ok) expect(r.content).toBe("replaced\nother\n");
    // The only block with these anchors is taken whatever its middle (as opencode does); with two such
    // blocks, a dissimilar middle matches neither.
    const far = replaceInContent(src, "start()\nzzzzzzzzzzzzz\nqqqqqqqqq\nend()", "x", false);
    expect(far).toMatchObject({ ok: true, matcher: "block-anchor" });
    const twice = replaceInContent(`${src}${src}`, "start()\nzzzzzzzzzzzzz\nqqqqqqqqq\nend()", "x", false);
    expect(twice.ok).toBe(false);
  });
  it("never applies an ambiguous match", () => {
    const dup = "x = 1\ny = 2\nx = 1\n";
    expect(replaceInContent(dup, "x = 1", "x = 3", false)).toMatchObject({ ok: false, reason: "ambiguous" });
    expect(replaceInContent(dup, "  x = 1", "x = 3", false)).toMatchObject({
      ok: false,
      reason: "ambiguous",
    });
    const all = replaceInContent(dup, "x = 1", "x = 3", true);
    expect(all).toMatchObject({ ok: true, replacements: 2 });
  });
});

describe("edit tool", () => {
  it("replaces a unique match and reports the matcher", async () => {
    await write(ws, "a.ts", "const a = 1;\nconst b = 2;\n");
    const res = await run(
      editTool,
      { path: "a.ts", oldString: "const b = 2;", newString: "const b = 3;" },
      context(ws),
    );
    expect(res.isError).toBeFalsy();
    expect(await read("a.ts")).toBe("const a = 1;\nconst b = 3;\n");
  });
  it("fails clearly for 0 or >1 matches and leaves the file alone", async () => {
    await write(ws, "a.ts", "x\nx\n");
    const amb = await run(editTool, { path: "a.ts", oldString: "x", newString: "y" }, context(ws));
    expect(amb.isError).toBe(true);
    expect(amb.output).toContain("matches 2 places");
    const none = await run(editTool, { path: "a.ts", oldString: "zzz", newString: "y" }, context(ws));
    expect(none.output).toContain("not found");
    expect(await read("a.ts")).toBe("x\nx\n");
    const all = await run(
      editTool,
      { path: "a.ts", oldString: "x", newString: "y", replaceAll: true },
      context(ws),
    );
    expect(all.output).toContain("2 replacements");
    expect(await read("a.ts")).toBe("y\ny\n");
  });
  it("handles missing files, binaries, creation and bad params", async () => {
    const missing = await run(editTool, { path: "no.ts", oldString: "a", newString: "b" }, context(ws));
    expect(missing.output).toContain("File not found");
    await write(ws, "b.bin", new Uint8Array([0, 1, 2]));
    expect(
      (await run(editTool, { path: "b.bin", oldString: "a", newString: "b" }, context(ws))).output,
    ).toContain("binary");
    const created = await run(editTool, { path: "new.ts", oldString: "", newString: "hi" }, context(ws));
    expect(created.output).toContain("Created");
    expect(await read("new.ts")).toBe("hi");
    const bad = await run(editTool, { path: "new.ts" }, context(ws));
    expect(bad.output).toContain("oldString");
    const escaped = await run(editTool, { path: "../x.ts", oldString: "", newString: "x" }, context(ws));
    expect(escaped.output).toContain("outside the workspace");
  });
});

describe("edit line endings", () => {
  it("keeps CRLF files CRLF when the model sends LF text", async () => {
    await write(ws, "win.txt", "one\r\ntwo\r\nthree\r\n");
    const res = await run(
      editTool,
      { path: "win.txt", oldString: "one\ntwo", newString: "ONE\nTWO" },
      context(ws),
    );
    expect(res.isError).toBeFalsy();
    expect(await read("win.txt")).toBe("ONE\r\nTWO\r\nthree\r\n");
  });
});

describe("multiedit", () => {
  it("applies edits across files in order", async () => {
    await write(ws, "a.ts", "a1\na2\n");
    await write(ws, "b.ts", "b1\n");
    const res = await run(
      multieditTool,
      {
        edits: [
          { path: "a.ts", oldString: "a1", newString: "A1" },
          { path: "a.ts", oldString: "A1\na2", newString: "A1\nA2" },
          { path: "b.ts", oldString: "b1", newString: "B1" },
        ],
      },
      context(ws),
    );
    expect(res.output).toContain("Applied 3 edits to 2 files");
    expect(await read("a.ts")).toBe("A1\nA2\n");
    expect(await read("b.ts")).toBe("B1\n");
  });
  it("is all or nothing: one failing edit changes no file", async () => {
    await write(ws, "a.ts", "a1\n");
    await write(ws, "b.ts", "b1\nb1\n");
    const res = await run(
      multieditTool,
      {
        edits: [
          { path: "a.ts", oldString: "a1", newString: "A1" },
          { path: "b.ts", oldString: "b1", newString: "B1" },
        ],
      },
      context(ws),
    );
    expect(res.isError).toBe(true);
    expect(res.output).toContain("Edit 2 of 2");
    expect(res.output).toContain("No file was changed");
    expect(await read("a.ts")).toBe("a1\n");
    const missing = await run(
      multieditTool,
      { edits: [{ path: "nope.ts", oldString: "a", newString: "b" }] },
      context(ws),
    );
    expect(missing.output).toContain("File not found");
    expect((await run(multieditTool, { edits: [] }, context(ws))).isError).toBe(true);
  });
});
