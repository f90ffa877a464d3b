import path from "node:path";
import { build } from "esbuild";
import { tempDir } from "./helpers.js";

/** Bundles a TypeScript entry (resolving workspace packages to source) into a runnable .mjs for child processes. */
export async function bundleForNode(entry: string): Promise<string> {
  const outfile = path.join(tempDir("ct-bundle-"), `${path.basename(entry, ".ts")}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["source"],
    logLevel: "silent",
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return outfile;
}
