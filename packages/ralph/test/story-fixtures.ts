import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const IMPL: Record<string, { file: string; code: string; test: string }> = {
  "US-1": {
    file: "src/sum.js",
    code: "export const sum = (a, b) => a + b;\n",
    test: 'import test from "node:test";\nimport assert from "node:assert";\nimport { sum } from "../src/sum.js";\ntest("sum", () => assert.equal(sum(2, 3), 5));\n',
  },
  "US-2": {
    file: "src/product.js",
    code: 'import { sum } from "./sum.js";\nexport const product = (a, b) => { let r = 0; for (let i = 0; i < b; i++) r = sum(r, a); return r; };\n',
    test: 'import test from "node:test";\nimport assert from "node:assert";\nimport { product } from "../src/product.js";\ntest("product", () => assert.equal(product(4, 3), 12));\n',
  },
  "US-3": {
    file: "src/mean.js",
    code: 'import { sum } from "./sum.js";\nexport const mean = (xs) => xs.reduce(sum, 0) / xs.length;\n',
    test: 'import test from "node:test";\nimport assert from "node:assert";\nimport { mean } from "../src/mean.js";\ntest("mean", () => assert.equal(mean([1, 2, 6]), 3));\n',
  },
};

export function tempProject(stories: unknown[]): { dir: string; prdPath: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-ralph-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  const prdPath = path.join(dir, "prd.json");
  fs.writeFileSync(
    prdPath,
    JSON.stringify(
      {
        project: "calc",
        feature: "math",
        branch_name: "feature/math",
        quality_checks: { test: "node --test" },
        user_stories: stories,
      },
      null,
      2,
    ),
  );
  git("add", "-A");
  git("commit", "-q", "-m", "init");
  return { dir, prdPath };
}
