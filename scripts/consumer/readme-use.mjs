// Runs the JavaScript examples of package READMEs as written, in a project that installed the packed tarballs.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./pack.mjs";
import { assertInstalled, prepareProject } from "./project.mjs";
import { exec, sandboxEnv } from "./sandbox.mjs";

/**
 * README code blocks that run offline as written, by package and block number (1-based, ```js blocks only).
 * Blocks left out need a live service (a Kubernetes cluster, a listening server) or are JSON.
 */
export const README_BLOCKS = {
  "@codetether/core": [1],
  "@codetether/tools": [1],
  "@codetether/providers": [1],
  "@codetether/security": [2, 3, 5],
};

function jsBlocks(readme) {
  return [...readme.matchAll(/^```js\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

/** Every selected README block runs to completion (exit 0) from the installed tarballs. */
export async function readmeExamples({ packages, tmp, log }) {
  const files = {};
  const runs = [];
  for (const [name, blocks] of Object.entries(README_BLOCKS)) {
    const dir = packages.get(name).manifest.repository.directory;
    const all = jsBlocks(fs.readFileSync(path.join(ROOT, dir, "README.md"), "utf8"));
    for (const n of blocks) {
      const code = all[n - 1];
      if (!code) throw new Error(`${dir}/README.md has no js block #${n} (it has ${all.length}).`);
      const file = `${path.basename(dir)}-readme-${n}.mjs`;
      files[file] = code;
      runs.push({ file, what: `${dir}/README.md js block #${n}` });
    }
  }
  const deps = Object.fromEntries(Object.keys(README_BLOCKS).map((n) => [n, "workspace:*"]));
  files["package.json"] = JSON.stringify({
    name: "readme-examples",
    private: true,
    type: "module",
    dependencies: { ...deps, zod: "^4.1.0" },
  });
  const { dir } = prepareProject("readme-examples", tmp, packages, log, files);
  assertInstalled(dir, {
    forbidden: ["node-llama-cpp", "@aws-sdk/client-bedrock-runtime"],
    required: Object.keys(README_BLOCKS),
  });
  for (const { file, what } of runs) {
    try {
      await exec("node", [file], { cwd: dir, env: sandboxEnv(dir), timeoutMs: 60_000 });
    } catch (err) {
      throw new Error(`${what} does not run as written:\n${err.message}`);
    }
  }
  log(`  ran ${runs.length} README examples`);
}
