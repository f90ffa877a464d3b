// A CLI whose dist/ lost files (an interrupted install, a bad copy) fails once, clearly, with exit 1. The crash
// handler used to require the missing crash-hook, throw from inside itself and run again: an endless loop.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { BIN, makeSandbox } from "./helpers.js";

it("a dist/ without its chunks exits 1 with one message naming the missing file and what to do", async () => {
  const box = await makeSandbox();
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "ct-broken-dist-"));
  fs.copyFileSync(BIN, path.join(dist, "bin.cjs"));
  const res = spawnSync(process.execPath, [path.join(dist, "bin.cjs"), "run", "hi"], {
    cwd: box.work,
    env: box.env,
    encoding: "utf8",
    timeout: 20_000,
    killSignal: "SIGKILL",
  });
  expect(res.signal, res.stderr.slice(0, 2000)).toBeNull();
  expect(res.status).toBe(1);
  expect(res.stderr).toContain(
    `codetether: this installation is incomplete: cannot load ${path.join(dist, "main.cjs")}`,
  );
  expect(res.stderr).toContain("reinstall codetether");
  expect(res.stderr.match(/codetether:/g)).toHaveLength(1);
  fs.rmSync(dist, { recursive: true, force: true });
  fs.rmSync(box.dir, { recursive: true, force: true });
});
