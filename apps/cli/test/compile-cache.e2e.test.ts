// The built CLI caches its compiled code (src/compile-cache/, issue 25): the first `run` writes the cache when it
// exits, the second compiles every CommonJS chunk from it, and the answers are the same. NODE_DISABLE_COMPILE_CACHE
// (Node's own switch) turns it off. On Node 22.1+ the CLI hands the folder to Node's compile cache instead.
import fs from "node:fs/promises";
import Module from "node:module";
import path from "node:path";
import { expect, it } from "vitest";
import { exists, runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

const model = useScriptedOpenAI();
const nodeCaches = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === "function";
const run = ["run", "-m", "openai/gpt-4o", "hello"];

it("the second run compiles from the cache the first one wrote, with the same answer", async () => {
  const box = await model.boxFor([{ text: "first answer" }, { text: "second answer" }]);
  const env = { ...box.env, CODETETHER_DEBUG_COMPILE_CACHE: "1" };
  const cacheRoot = path.join(box.dir, "cache", "codetether", "compile-cache");

  const first = await runCli(run, { cwd: box.work, env });
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toContain("first answer");
  if (nodeCaches) {
    expect(await exists(path.join(cacheRoot, "node"))).toBe(true);
    return;
  }
  expect(first.stderr).toMatch(/compile cache 0 hits, [1-9]\d* misses/);
  const folders = await fs.readdir(cacheRoot);
  expect(folders).toEqual([expect.stringMatching(/^[0-9a-f]{16}-node\d+\.\d+\.\d+-\w+$/)]);
  const entries = await fs.readdir(path.join(cacheRoot, folders[0] as string));
  expect(entries).toContain("main.cjs.v8");
  expect(entries.every((e) => e.endsWith(".cjs.v8"))).toBe(true);

  const second = await runCli(run, { cwd: box.work, env });
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toContain("second answer");
  const counts = /compile cache (\d+) hits, (\d+) misses/.exec(second.stderr);
  expect(counts?.slice(1).map(Number)).toEqual([entries.length, 0]);
  await fs.rm(box.dir, { recursive: true, force: true });
});

it("NODE_DISABLE_COMPILE_CACHE=1 runs uncached and writes nothing", async () => {
  const box = await model.boxFor([{ text: "uncached answer" }]);
  const env = { ...box.env, CODETETHER_DEBUG_COMPILE_CACHE: "1", NODE_DISABLE_COMPILE_CACHE: "1" };
  const res = await runCli(run, { cwd: box.work, env });
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toContain("uncached answer");
  expect(res.stderr).not.toContain("compile cache");
  expect(await exists(path.join(box.dir, "cache", "codetether", "compile-cache"))).toBe(false);
  await fs.rm(box.dir, { recursive: true, force: true });
});
