// The CLI's own compile cache for Node 20 (src/compile-cache/): modules under the root compile from a V8 cache
// entry when one fits, anything else is Node's business, and a cache that is corrupt, missing or unwritable only
// costs speed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cacheDir as codetetherCacheDir } from "@codetether/core";
import { buildSync } from "esbuild";
import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { compileCacheRoot, pruneOtherBuilds } from "../src/compile-cache/compile-cache.js";

let dir: string;
let root: string;
let cacheDir: string;
let loaderFile: string;

// Each load is its own process: V8 also caches compiled scripts in memory, which would hide what the entry did.
beforeAll(() => {
  loaderFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ct-compile-cache-loader-")), "loader.cjs");
  buildSync({
    entryPoints: [path.resolve(import.meta.dirname, "../src/compile-cache/cached-compile.ts")],
    bundle: true,
    format: "cjs",
    platform: "node",
    outfile: loaderFile,
    logLevel: "error",
  });
  return () => fs.rmSync(path.dirname(loaderFile), { recursive: true, force: true });
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-compile-cache-"));
  root = path.join(dir, "dist");
  cacheDir = path.join(dir, "cache", "build-1");
  fs.mkdirSync(root);
  fs.writeFileSync(
    path.join(root, "answer.cjs"),
    '"use strict";\nconst double = (n) => n * 2;\nexports.answer = double(21);\nexports.strict = (function () { return this; })() === undefined;\n',
  );
  fs.writeFileSync(path.join(root, "plain.js"), "module.exports = 7;\n");
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Load {
  exports: unknown;
  stats: { hits: number; misses: number };
  created: boolean;
}

/** Requires `file` in a new process with the cache installed over `root`, then writes what is pending. */
function load(file: string, cache = cacheDir): Load {
  const script = `
    const { installCachedCompile } = require(${JSON.stringify(loaderFile)});
    const compile = installCachedCompile(${JSON.stringify(root)}, ${JSON.stringify(cache)});
    const exports = require(${JSON.stringify(file)});
    const created = compile.writePending();
    process.stdout.write(JSON.stringify({ exports, stats: compile.stats, created }));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as Load;
}

const answer = () => path.join(root, "answer.cjs");

it("compiles from source first, writes the entry, and compiles from it on the next load", () => {
  const first = load(answer());
  expect(first.exports).toEqual({ answer: 42, strict: true });
  expect(first.stats).toEqual({ hits: 0, misses: 1 });
  expect(first.created).toBe(true);
  const entry = path.join(cacheDir, "answer.cjs.v8");
  expect(fs.statSync(entry).size).toBeGreaterThan(0);
  expect(fs.statSync(entry).mode & 0o777).toBe(0o600);
  expect(fs.statSync(cacheDir).mode & 0o777).toBe(0o700);
  expect(fs.readdirSync(cacheDir)).toEqual(["answer.cjs.v8"]); // no temp file left

  const second = load(answer());
  expect(second.exports).toEqual({ answer: 42, strict: true });
  expect(second.stats).toEqual({ hits: 1, misses: 0 });
  expect(second.created).toBe(false);
});

it("a corrupt entry is rejected by V8, the module still loads, and the entry is rewritten", () => {
  load(answer());
  const entry = path.join(cacheDir, "answer.cjs.v8");
  const good = fs.readFileSync(entry);
  // The file's own stamp, then garbage where V8's data was.
  fs.writeFileSync(entry, Buffer.concat([good.subarray(0, 16), Buffer.alloc(512, 0xab)]));

  const corrupt = load(answer());
  expect(corrupt.exports).toEqual({ answer: 42, strict: true });
  expect(corrupt.stats).toEqual({ hits: 0, misses: 1 });
  expect(load(answer()).stats).toEqual({ hits: 1, misses: 0 });
});

it("an entry for a file since edited in place (same length) is not used: V8 would run the old code", () => {
  load(answer());
  const file = answer();
  const source = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, source.replace("n * 2", "n + 2"));
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000)); // a coarse clock must not hide the edit
  const edited = load(file);
  expect(edited.exports).toEqual({ answer: 23, strict: true });
  expect(edited.stats).toEqual({ hits: 0, misses: 1 });
});

it("leaves modules outside the root and files that are not .cjs to Node", () => {
  const plain = load(path.join(root, "plain.js"));
  expect(plain).toEqual({ exports: 7, stats: { hits: 0, misses: 0 }, created: false });
  const outside = path.join(dir, "outside.cjs");
  fs.writeFileSync(outside, "module.exports = 8;\n");
  expect(load(outside)).toEqual({ exports: 8, stats: { hits: 0, misses: 0 }, created: false });
  expect(fs.existsSync(cacheDir)).toBe(false);
});

it("a cache folder that cannot be created costs only speed", () => {
  const blocked = path.join(dir, "a-file");
  fs.writeFileSync(blocked, "");
  const blockedLoad = load(answer(), path.join(blocked, "build-1"));
  expect(blockedLoad.exports).toEqual({ answer: 42, strict: true });
  expect(blockedLoad.created).toBe(false);
});

it("keeps the three most recently written other builds", () => {
  const cacheRoot = path.join(dir, "compile-cache");
  const names = ["b1", "b2", "b3", "b4", "b5", "current", "node"];
  names.forEach((name, i) => {
    fs.mkdirSync(path.join(cacheRoot, name), { recursive: true });
    const at = new Date(Date.UTC(2026, 0, 1 + i));
    fs.utimesSync(path.join(cacheRoot, name), at, at);
  });
  pruneOtherBuilds(cacheRoot, "current");
  expect(fs.readdirSync(cacheRoot).sort()).toEqual(["b3", "b4", "b5", "current", "node"]);
});

it("lives in codetether's cache dir, the folder the sandbox hides, whatever XDG_CACHE_HOME says", () => {
  for (const env of [
    { XDG_CACHE_HOME: "/x/cache" },
    { XDG_CACHE_HOME: "relative" },
    { HOME: os.homedir() },
    {},
  ]) {
    expect(compileCacheRoot(env)).toBe(path.join(codetetherCacheDir(env), "compile-cache"));
  }
  expect(compileCacheRoot({ XDG_CACHE_HOME: "/x/cache" })).toBe("/x/cache/codetether/compile-cache");
});
