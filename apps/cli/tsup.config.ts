import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

export default defineConfig({
  // Each command is its own chunk, loaded with import() only when that command runs,
  // so `codetether --version` and `--help` stay fast.
  // help-snapshot.js is run once after the build (scripts/write-root-help.mjs) to pre-render `--help`.
  entry: ["src/bin.ts", "src/help-snapshot.ts"],
  format: ["esm"],
  splitting: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  define: { __CODETETHER_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "#!/usr/bin/env node" },
});
