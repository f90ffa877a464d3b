import { readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "esbuild";
import { defineConfig } from "tsup";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as {
  version: string;
};

/**
 * The CLI as one self-contained file (`dist-bundle/codetether.mjs`): every dependency inlined except the
 * optional native/vendor packages that are imported lazily only when their provider is used.
 * Build with `npm run build:bundle`; run with `node dist-bundle/codetether.mjs`.
 */
/** Optional native/vendor packages, imported lazily only when their provider or feature is used. */
const LAZY_OPTIONAL = [
  "node-llama-cpp",
  "@anthropic-ai/sdk",
  "@google/genai",
  "@aws-sdk/client-bedrock-runtime",
  "typescript-language-server",
  "pyright",
  // A native copy helper of a model downloader, required lazily inside a try.
  "@reflink/reflink",
];

/**
 * ink imports the React devtools statically but connects only when DEV=true; the bundle leaves them out and
 * says so if someone asks for them.
 */
const withoutReactDevtools: Plugin = {
  name: "without-react-devtools",
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: "react-devtools-core",
      namespace: "ct-omit",
    }));
    build.onLoad({ filter: /.*/, namespace: "ct-omit" }, () => ({
      contents:
        'const fail = () => { throw new Error("The bundled codetether CLI does not include the React devtools (DEV=true): use the npm package instead."); };\nexport default { initialize: fail, connectToDevTools: fail };',
      loader: "js",
    }));
  },
};

/**
 * @codetether/tools reads each tool's model-facing description from `<id>.txt` beside its build output
 * (`loadDescription(new URL("./<id>.txt", import.meta.url))`). A single file has nothing beside it, so the
 * text is inlined at build time; a description file that is missing fails the build.
 */
const inlineToolDescriptions: Plugin = {
  name: "inline-tool-descriptions",
  setup(build) {
    const call = /loadDescription\(\s*new URL\(\s*"\.\/([\w.-]+\.txt)"\s*,\s*import\.meta\.url\s*\)\s*\)/g;
    build.onLoad({ filter: /[\\/]tools[\\/]dist[\\/][^\\/]+\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const contents = source.replace(call, (_, name: string) =>
        JSON.stringify(readFileSync(path.join(path.dirname(args.path), name), "utf8").trim()),
      );
      return { contents, loader: "js" };
    });
  },
};

export default defineConfig({
  entry: { codetether: "src/bin.ts" },
  outDir: "dist-bundle",
  outExtension: () => ({ js: ".mjs" }),
  format: ["esm"],
  splitting: false,
  sourcemap: false,
  clean: true,
  target: "node20",
  platform: "node",
  // Everything is inlined except these (tsup lets noExternal win over external, so exclude them here).
  noExternal: [new RegExp(`^(?!(${LAZY_OPTIONAL.map((n) => n.replace(/[/.]/g, "\\$&")).join("|")})(/|$))`)],
  external: LAZY_OPTIONAL,
  esbuildPlugins: [withoutReactDevtools, inlineToolDescriptions],
  define: { __CODETETHER_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies call require(): give the ES module one.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __ctCreateRequire } from "node:module";\nconst require = __ctCreateRequire(import.meta.url);',
  },
});
