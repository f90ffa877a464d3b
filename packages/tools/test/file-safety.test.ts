import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { RuleGate, ToolRegistry } from "@codetether/core";
import { beforeEach, describe, expect, it } from "vitest";
import { applyPatchTool } from "../src/apply_patch.js";
import { createBatchTool } from "../src/batch.js";
import { editTool } from "../src/edit.js";
import { multieditTool } from "../src/multiedit.js";
import { readTool } from "../src/read.js";
import { undoTool } from "../src/undo.js";
import { writeTool } from "../src/write.js";
import { context, run, workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});
const readRaw = (rel: string) => fs.readFile(path.join(ws, rel), "utf8");
/** As the CLI runs tools: the registry checks the gate, and tools see it as `services.gate` (write-time checks). */
const gated = (gate: RuleGate, ctx = context(ws)) => ({ ctx: { ...ctx, services: { gate } }, gate });

describe("allow rules never lift workspace confinement", () => {
  const rules = [
    { tool: "read", path: "docs/**", action: "allow" as const },
    { tool: "read", action: "allow" as const },
    { tool: "write", path: "docs/**", action: "allow" as const },
    { tool: "write", action: "allow" as const },
  ];
  it("read ../x and write ../y are refused although an allow rule with a path exists", async () => {
    await fs.writeFile(path.join(ws, "..", "x"), "outside secret");
    const gate = new RuleGate({ rules });
    const read = await run(readTool, { path: "../x" }, context(ws), gate);
    expect(read.isError).toBe(true);
    expect(read.output).toContain("outside the workspace");
    expect(read.output).not.toContain("outside secret");
    const wrote = await run(writeTool, { path: "../y", content: "pwn" }, context(ws), gate);
    expect(wrote.isError).toBe(true);
    await expect(fs.stat(path.join(ws, "..", "y"))).rejects.toThrow();
  });
  it("an explicit extra root (config permissions.allowed_paths) is the only way out", async () => {
    const extra = await fs.mkdtemp(path.join(ws, "..", "extra-"));
    const gate = new RuleGate({ rules, extraRoots: [extra] });
    const ok = await run(
      writeTool,
      { path: path.join(extra, "f.txt"), content: "ok" },
      gated(gate).ctx,
      gate,
    );
    expect(ok.isError).toBeFalsy();
    expect(await fs.readFile(path.join(extra, "f.txt"), "utf8")).toBe("ok");
    const other = await run(writeTool, { path: "../z", content: "pwn" }, context(ws), gate);
    expect(other.isError).toBe(true);
  });
});

describe("a path deny rule follows symlinks and covers every tool that writes", () => {
  const gate = () => new RuleGate({ rules: [{ tool: "write", path: ".env*", action: "deny" }] });
  beforeEach(async () => {
    await write(ws, ".env", "SECRET=1\n");
    await fs.symlink(".env", path.join(ws, "envlink"));
  });
  it("write, edit, multiedit and apply_patch through envlink are refused; .env is untouched", async () => {
    const calls = [
      [writeTool, { path: "envlink", content: "SECRET=pwned\n" }],
      [editTool, { path: "envlink", oldString: "SECRET=1", newString: "SECRET=pwned" }],
      [multieditTool, { edits: [{ path: "envlink", oldString: "SECRET=1", newString: "SECRET=pwned" }] }],
      [
        applyPatchTool,
        { patch: "*** Begin Patch\n*** Update File: envlink\n@@\n-SECRET=1\n+SECRET=pwned\n*** End Patch" },
      ],
      [editTool, { path: ".env", oldString: "SECRET=1", newString: "SECRET=pwned" }],
    ] as const;
    for (const [tool, args] of calls) {
      const g = gated(gate());
      const res = await run(tool, args, g.ctx, g.gate);
      expect(res.isError, `${tool.id} ${JSON.stringify(args)}`).toBe(true);
      expect(res.output).toContain("denied");
    }
    expect(await readRaw(".env")).toBe("SECRET=1\n");
  });
  it("reading .env (also through envlink) is still allowed: the rule is about writing", async () => {
    const g = gated(gate());
    const res = await run(readTool, { path: "envlink" }, g.ctx, g.gate);
    expect(res.isError, res.output).toBeFalsy();
    expect(res.output).toContain("SECRET=1");
  });
  it("undo never restores a denied path", async () => {
    const ctx = context(ws);
    await write(ws, "plain.txt", "one\n");
    const edited = await run(editTool, { path: "plain.txt", oldString: "one", newString: "two" }, ctx);
    expect(edited.isError).toBeFalsy();
    // The file becomes a link to .env after the change was recorded: undo must not write through it.
    await fs.rm(path.join(ws, "plain.txt"));
    await fs.symlink(".env", path.join(ws, "plain.txt"));
    const g = gated(gate(), ctx);
    const undone = await run(undoTool, {}, g.ctx, g.gate);
    expect(undone.isError).toBe(true);
    expect(undone.output).toContain("denied");
    expect(await readRaw(".env")).toBe("SECRET=1\n");
  });
});

describe("per-file write serialisation", () => {
  it("three parallel edits on one file all land, 10 of 10", async () => {
    for (let i = 0; i < 10; i++) {
      await write(ws, "v.py", "a = 0\nb = 0\nc = 0\n");
      const results = await Promise.all(
        ["a", "b", "c"].map((v) =>
          run(editTool, { path: "v.py", oldString: `${v} = 0`, newString: `${v} = 1` }, context(ws)),
        ),
      );
      expect(results.map((r) => r.isError ?? false)).toEqual([false, false, false]);
      expect(await readRaw("v.py")).toBe("a = 1\nb = 1\nc = 1\n");
    }
  });
  it("batch with three edits of one file applies all three, 10 of 10", async () => {
    const registry = new ToolRegistry({ gate: new RuleGate() }).register(editTool);
    const batch = createBatchTool(() => registry);
    registry.register(batch);
    for (let i = 0; i < 10; i++) {
      await write(ws, "v.py", "a = 0\nb = 0\nc = 0\n");
      const calls = ["a", "b", "c"].map((v) => ({
        tool: "edit",
        args: { path: "v.py", oldString: `${v} = 0`, newString: `${v} = 1` },
      }));
      const ctx = context(ws);
      const res = await registry.execute(
        { id: ctx.callId, name: "batch", arguments: JSON.stringify({ calls }) },
        ctx,
      );
      expect(res.output).toContain("(3 succeeded, 0 failed)");
      expect(await readRaw("v.py")).toBe("a = 1\nb = 1\nc = 1\n");
    }
  });
  it("write, multiedit and apply_patch on one file in parallel never lose an update", async () => {
    await write(ws, "m.txt", "x = 0\ny = 0\nz = 0\n");
    const ctx = () => context(ws);
    const results = await Promise.all([
      run(multieditTool, { edits: [{ path: "m.txt", oldString: "x = 0", newString: "x = 1" }] }, ctx()),
      run(
        applyPatchTool,
        { patch: "*** Begin Patch\n*** Update File: m.txt\n@@\n-y = 0\n+y = 1\n*** End Patch" },
        ctx(),
      ),
      run(editTool, { path: "m.txt", oldString: "z = 0", newString: "z = 1" }, ctx()),
    ]);
    expect(results.map((r) => r.isError ?? false)).toEqual([false, false, false]);
    expect(await readRaw("m.txt")).toBe("x = 1\ny = 1\nz = 1\n");
  });
});

describe("line endings, BOM and final newline are preserved by every writing tool", () => {
  const BOM = "\uFEFF";
  it("edit: an LF file stays LF when oldString/newString carry CRLF; a CRLF file stays CRLF", async () => {
    await write(ws, "lf.txt", "one\ntwo\nthree\n");
    const lf = await run(
      editTool,
      { path: "lf.txt", oldString: "one\r\ntwo", newString: "uno\r\ndos" },
      context(ws),
    );
    expect(lf.isError).toBeFalsy();
    expect(await readRaw("lf.txt")).toBe("uno\ndos\nthree\n");
    await write(ws, "crlf.txt", "one\r\ntwo\r\nthree\r\n");
    const crlf = await run(
      editTool,
      { path: "crlf.txt", oldString: "two\nthree", newString: "2\n3\n4" },
      context(ws),
    );
    expect(crlf.isError).toBeFalsy();
    expect(await readRaw("crlf.txt")).toBe("one\r\n2\r\n3\r\n4\r\n");
  });
  it("edit and multiedit keep a BOM and a missing final newline", async () => {
    await write(ws, "bom.txt", `${BOM}first\r\nlast`);
    const res = await run(
      editTool,
      { path: "bom.txt", oldString: "last", newString: "final\n" },
      context(ws),
    );
    expect(res.isError).toBeFalsy();
    expect(await readRaw("bom.txt")).toBe(`${BOM}first\r\nfinal`);
    const multi = await run(
      multieditTool,
      { edits: [{ path: "bom.txt", oldString: "first\n", newString: "head\r\nmid\n" }] },
      context(ws),
    );
    expect(multi.isError).toBeFalsy();
    expect(await readRaw("bom.txt")).toBe(`${BOM}head\r\nmid\r\nfinal`);
  });
  it("write keeps the existing file's CRLF, BOM and missing final newline", async () => {
    await write(ws, "w.txt", `${BOM}a\r\nb`);
    const res = await run(writeTool, { path: "w.txt", content: "x\ny\nz\n" }, context(ws));
    expect(res.isError).toBeFalsy();
    expect(await readRaw("w.txt")).toBe(`${BOM}x\r\ny\r\nz`);
    await write(ws, "plain.txt", "a\nb\n");
    await run(writeTool, { path: "plain.txt", content: "c\r\nd\r\n" }, context(ws));
    expect(await readRaw("plain.txt")).toBe("c\nd\n");
  });
  it("apply_patch keeps CRLF, BOM and a missing final newline", async () => {
    await write(ws, "p.txt", `${BOM}alpha\r\nbeta\r\ngamma`);
    const res = await run(
      applyPatchTool,
      { patch: "*** Begin Patch\n*** Update File: p.txt\n@@\n alpha\n-beta\n+BETA\n+delta\n*** End Patch" },
      context(ws),
    );
    expect(res.isError, res.output).toBeFalsy();
    expect(await readRaw("p.txt")).toBe(`${BOM}alpha\r\nBETA\r\ndelta\r\ngamma`);
  });
});

describe("orphaned temp files of interrupted snapshot writes", () => {
  it("are removed when the session's snapshot store is first used", async () => {
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const dir = path.join(process.env.CODETETHER_DATA_DIR as string, "snapshots", "ses_test");
    await fs.mkdir(path.join(dir, "blobs"), { recursive: true });
    const orphans = [
      path.join(dir, `.index.json.${deadPid}.0123456789ab.tmp`),
      path.join(dir, "blobs", `.abc.${deadPid}.0123456789ab.tmp`),
    ];
    for (const f of orphans) await fs.writeFile(f, "partial");
    await write(ws, "f.txt", "one\n");
    const res = await run(editTool, { path: "f.txt", oldString: "one", newString: "two" }, context(ws));
    expect(res.isError).toBeFalsy();
    for (const f of orphans) await expect(fs.stat(f)).rejects.toThrow();
  });
});

describe("orphaned temp files of an interrupted write in the workspace", () => {
  it("are removed by the next run's first write (the crashed run's journal names the directory)", async () => {
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid as number;
    await write(ws, "sub/keep.txt", "k\n");
    const orphan = path.join(ws, "sub", `.keep.txt.${deadPid}.0123456789ab.tmp`);
    await fs.writeFile(orphan, "half-written");
    const journal = path.join(process.env.CODETETHER_DATA_DIR as string, "pending-writes");
    await fs.mkdir(journal, { recursive: true });
    await fs.writeFile(path.join(journal, `${deadPid}.dirs`), `${path.join(ws, "sub")}\n`);
    const res = await run(writeTool, { path: "other.txt", content: "x" }, context(ws));
    expect(res.isError).toBeFalsy();
    await expect(fs.stat(orphan)).rejects.toThrow();
    expect(await fs.readdir(path.join(ws, "sub"))).toEqual(["keep.txt"]);
  });
});
