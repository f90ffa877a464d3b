import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { onProcessExit, TempFileJournal } from "../src/index.js";

describe("exit clean-up: one process exit listener for every clean-up", () => {
  it("N temp journals noting directories add one exit listener, not N", async () => {
    const before = process.listenerCount("exit");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-exit-"));
    for (let i = 0; i < 15; i++) await new TempFileJournal(path.join(dir, `j${i}`)).note(dir);
    expect(process.listenerCount("exit") - before).toBeLessThanOrEqual(1);
    const unregister = onProcessExit(() => {});
    unregister();
    expect(process.listenerCount("exit") - before).toBeLessThanOrEqual(1);
  });

  it("runs every registered task at exit, in order, even when one throws; an unregistered one never", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-exit-"));
    const out = path.join(dir, "ran.txt");
    // A real process exit, in a child: the module (self-contained) transpiled to plain ESM.
    const source = fs.readFileSync(path.resolve(import.meta.dirname, "../src/util/exit-cleanup.ts"), "utf8");
    const index = path.join(dir, "exit-cleanup.mjs");
    const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
    fs.writeFileSync(index, ts.transpileModule(source, { compilerOptions: options }).outputText);
    const script = `
      import fs from "node:fs";
      const before = process.listenerCount("exit");
      const { onProcessExit } = await import(${JSON.stringify(index)});
      onProcessExit(() => fs.appendFileSync(${JSON.stringify(out)}, "a"));
      onProcessExit(() => { throw new Error("boom"); });
      const off = onProcessExit(() => fs.appendFileSync(${JSON.stringify(out)}, "x"));
      onProcessExit(() => fs.appendFileSync(${JSON.stringify(out)}, "b"));
      off();
      console.log(process.listenerCount("exit") - before);
    `;
    const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(stdout.trim()).toBe("1");
    expect(fs.readFileSync(out, "utf8")).toBe("ab");
  });
});
