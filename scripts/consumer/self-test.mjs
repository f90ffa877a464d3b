// Unit tests of the consumer/publish helpers: `node --test scripts/consumer/self-test.mjs`.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { metadataProblems } from "./metadata.mjs";
import { assertInstalled, closureOf, installedPackages } from "./project.mjs";

const good = {
  name: "@codetether/x",
  license: "MIT",
  repository: { url: "git+https://example.test/x.git", directory: "packages/x" },
  engines: { node: ">=20" },
  files: ["dist"],
  sideEffects: false,
  exports: {
    ".": { types: "./dist/index.d.ts", import: "./dist/index.js" },
    "./package.json": "./package.json",
  },
  dependencies: { "@codetether/core": "0.1.0" },
};

test("metadataProblems accepts complete metadata and names each gap", () => {
  assert.deepEqual(metadataProblems(good, "package/README.md\npackage/dist/index.js"), []);
  const bad = {
    ...good,
    license: undefined,
    files: undefined,
    sideEffects: undefined,
    exports: { ".": { import: "./dist/index.js" } },
    dependencies: { "@codetether/core": "workspace:*" },
  };
  assert.deepEqual(metadataProblems(bad, "package/dist/index.js"), [
    "no license",
    "no files list (would publish everything)",
    "no README.md in the tarball",
    "sideEffects is not declared",
    'exports["."] has no types',
    "dependencies.@codetether/core is still workspace:*",
  ]);
});

test("closureOf follows dependencies, not dev or optional peer dependencies", () => {
  const pkg = (dependencies, extra = {}) => ({ manifest: { dependencies, ...extra } });
  const packages = new Map([
    [
      "@codetether/rlm",
      pkg(
        { "@codetether/core": "0.1.0", zod: "^4" },
        { devDependencies: { "@codetether/testing": "0.1.0" } },
      ),
    ],
    ["@codetether/core", pkg({ zod: "^4" })],
    [
      "@codetether/tool-router",
      pkg({ "@codetether/core": "0.1.0" }, { peerDependencies: { "node-llama-cpp": "3" } }),
    ],
  ]);
  assert.deepEqual([...closureOf(["@codetether/rlm"], packages)].sort(), [
    "@codetether/core",
    "@codetether/rlm",
  ]);
  assert.throws(() => closureOf(["@codetether/missing"], packages), /was not packed/);
});

test("installedPackages sees nested and scoped packages; assertInstalled names extras and gaps", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-selftest-"));
  try {
    for (const p of [
      "a",
      "@s/b",
      "a/node_modules/node-llama-cpp",
      "a/node_modules/@aws-sdk/client-bedrock-runtime",
    ])
      fs.mkdirSync(path.join(dir, "node_modules", p), { recursive: true });
    assert.deepEqual([...installedPackages(dir)].sort(), [
      "@aws-sdk/client-bedrock-runtime",
      "@s/b",
      "a",
      "node-llama-cpp",
    ]);
    assert.throws(
      () => assertInstalled(dir, { forbidden: ["node-llama-cpp", "openai"], required: ["a", "zod"] }),
      /installed but not needed: node-llama-cpp; needed but not installed: zod/,
    );
    assert.ok(assertInstalled(dir, { forbidden: ["openai"], required: ["@s/b"] }).has("a"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
