// esbuild plugin of the CLI build (tsup.config.ts): zod's error messages in English only.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "esbuild";

/**
 * zod's entries re-export every locale (`export * as locales from "../locales/index.js"` in classic, core, mini): about 370 KB of
 * the ~750 KB zod puts in the bundle, parsed by every command that validates anything (`run`, `serve`), although
 * codetether never switches zod's language. In the CLI that re-export names only `en`, the locale zod configures
 * by default (imported on its own by zod's schemas), so every message stays the same. The build fails when zod's
 * layout no longer matches (the plugin never applied, or `en.js` moved), instead of silently bundling all again.
 */
export const zodEnglishOnly: Plugin = {
  name: "zod-english-only",
  setup(build) {
    let applied = false;
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (
        !/[\\/]zod[\\/]v4[\\/](classic[\\/]external|core[\\/]index|mini[\\/]external)\.js$/.test(
          args.importer,
        )
      )
        return undefined;
      const en = path.join(args.resolveDir, "../locales/en.js");
      if (!existsSync(en)) throw new Error(`zod-english-only: ${en} is missing; zod's layout changed.`);
      applied = true;
      return { path: en, namespace: "ct-zod-locales" };
    });
    build.onLoad({ filter: /.*/, namespace: "ct-zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};\n`,
      loader: "js",
      resolveDir: path.dirname(args.path),
    }));
    build.onEnd((result) => {
      if (!result.errors.length && !applied)
        result.errors.push({
          id: "",
          pluginName: "zod-english-only",
          text: "zod's entries no longer import ../locales/index.js: update apps/cli/scripts/zod-english-only.ts.",
          location: null,
          notes: [],
          detail: undefined,
        });
    });
  },
};
