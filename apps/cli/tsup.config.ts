import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";
import {
  ALL_BUT_LAZY_OPTIONAL,
  inlineToolDescriptions,
  LAZY_OPTIONAL,
  namedExportsOfLazyCommonJs,
  requireWhereNeeded,
  withoutReactDevtools,
} from "./scripts/bundle-plugins.js";
import { zodEnglishOnly } from "./scripts/zod-english-only.js";
import { zodOnDemand } from "./scripts/zod-on-demand.js";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

const common: Options = {
  format: ["esm"],
  sourcemap: true,
  // Maps locate a crash report's frames in the repository; the inlined sources would double the package size.
  esbuildOptions(options) {
    options.sourcesContent = false;
    options.minifyWhitespace = true;
    options.minifySyntax = true;
  },
  target: "node20",
  platform: "node",
  define: { __CODETETHER_VERSION__: JSON.stringify(pkg.version) },
};

export default defineConfig([
  {
    // The CLI as one bundle split into chunks: the workspace packages and their pure-JS dependencies are
    // inlined, because the ES module loader's per-file cost made `run` spend ~200 ms loading ~255 separate
    // modules. Each command (and each lazily imported dependency: ink, express, the Kubernetes client...) stays
    // its own chunk, loaded with import() only when it runs.
    // help-snapshot.js is run once after the build (scripts/write-root-help.mjs) to pre-render `--help`.
    ...common,
    entry: ["src/main.ts", "src/crash-hook.ts", "src/help-snapshot.ts"],
    splitting: true,
    // bin.cjs comes from the build below, which runs at the same time.
    clean: ["!bin.cjs", "!bin.cjs.map"],
    noExternal: [ALL_BUT_LAZY_OPTIONAL],
    external: LAZY_OPTIONAL,
    esbuildPlugins: [
      withoutReactDevtools,
      inlineToolDescriptions,
      namedExportsOfLazyCommonJs,
      zodOnDemand,
      zodEnglishOnly,
    ],
    plugins: [requireWhereNeeded],
  },
  {
    // The bin on its own and as CommonJS (dist/bin.cjs): a CommonJS main starts without the ES module loader, so
    // `--version` imports nothing and `--help` only reads dist/root-help.json. In the split build every entry
    // point also imports the shared chunk of esbuild's helpers.
    ...common,
    format: ["cjs"],
    entry: ["src/bin.ts"],
    splitting: false,
    clean: false,
    external: ["./main.cjs", "./crash-hook.cjs"],
  },
  {
    // zod for the CLI's own code, required on first use (scripts/zod-on-demand.ts): an idle `serve` never loads it.
    ...common,
    format: ["cjs"],
    entry: { zod: "src/zod-runtime.ts" },
    splitting: false,
    clean: false,
    noExternal: [/^zod/],
    esbuildPlugins: [zodEnglishOnly],
  },
]);
