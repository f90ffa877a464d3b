// Post-build step: turns the split ES module chunks in dist/ into CommonJS (`<name>.cjs`) wherever that is
// possible, so dist/bin.cjs can load them through its compile cache (src/compile-cache/). Node 20 has no API to
// cache the compiled code of an ES module, and compiling ~1 MB of JavaScript was the largest cost left between
// `codetether run` starting and its first request. esbuild code-splits only ES modules, hence this second pass.
//
// - A chunk stays an ES module when it holds a top-level await (ink, yoga-layout) or statically imports a chunk
//   that stays one; CommonJS cannot wait for it. Such chunks import the CommonJS ones like any package: Node's
//   ES module loader reads their export names from esbuild's `0 && (module.exports = {...})` annotation and
//   shares the instance in the require cache, so every module still has exactly one copy.
// - Each chunk is rebuilt by esbuild on its own with every import external and the specifiers of converted
//   chunks renamed, which keeps the source maps chained (esbuild reads the input map).
// - A dynamic `import(` left in CommonJS output is renamed to `__ctIm(` (same length, so the maps stay right):
//   a function compiled with a code cache through `vm.Script` cannot run `import()` on Node 20 without an
//   experimental flag. The banner defines `__ctIm` as the loader's import (see src/compile-cache/) or, when the
//   chunk is loaded some other way, as a plain `import()` from the chunk's own folder.
// - esbuild's interop helpers that copied every export on each start are replaced (scripts/commonjs-interop.mjs).
// - dist/compile-cache.json names the build (a hash over every chunk), which keys the cache folder.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { init, parse } from "es-module-lexer";
import * as esbuild from "esbuild";
import { INTEROP_BANNER, lightenInteropHelpers } from "./commonjs-interop.mjs";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const SHIM =
  'import { createRequire as __ctCreateRequire } from "node:module"; const require = __ctCreateRequire(import.meta.url); ';
const IMPORT_HOOK = "__ctIm";
const BANNER = [
  // First, as in every CommonJS file esbuild writes: an ES module is strict code and its CommonJS form must be too.
  `"use strict";`,
  `var ${IMPORT_HOOK}=globalThis[Symbol.for("codetether.import")]??(s=>import(s));`,
  `var __ctMetaUrl=require("node:url").pathToFileURL(__filename).href;`,
  INTEROP_BANNER,
].join("");

if (existsSync(path.join(dist, "main.cjs")))
  throw new Error("commonjs chunks: dist/ is already converted; run tsup first (pnpm build does both)");
await init;
const names = readdirSync(dist).filter((f) => f.endsWith(".js"));
const modules = new Map(names.map((name) => [name, describe(name)]));

// A chunk stays an ES module when it or anything it statically imports has a top-level await.
let changed = true;
while (changed) {
  changed = false;
  for (const m of modules.values()) {
    if (!m.commonjs) continue;
    if (m.staticDeps.some((d) => modules.get(d)?.commonjs === false)) {
      m.commonjs = false;
      changed = true;
    }
  }
}
assertNoCommonJsCycle();

const rename = (spec) => {
  const name = spec.startsWith("./") ? spec.slice(2) : undefined;
  return name && modules.get(name)?.commonjs ? `./${name.replace(/\.js$/, ".cjs")}` : spec;
};

let helpersReplaced = 0;
for (const m of modules.values()) await rebuild(m);
if (helpersReplaced === 0)
  throw new Error(
    "commonjs chunks: no esbuild interop helper matched scripts/commonjs-interop.mjs (a new esbuild?)",
  );
for (const m of modules.values()) {
  if (!m.commonjs) continue;
  rmSync(path.join(dist, m.name));
  rmSync(path.join(dist, `${m.name}.map`), { force: true });
}

const outputs = readdirSync(dist)
  .filter((f) => /\.(c?js)$/.test(f) && f !== "bin.cjs")
  .sort();
const hash = createHash("sha256");
for (const f of outputs)
  hash
    .update(f)
    .update("\0")
    .update(readFileSync(path.join(dist, f)));
const manifest = { build: hash.digest("hex").slice(0, 16), files: outputs.length };
const temp = path.join(dist, `compile-cache.json.${process.pid}.tmp`);
writeFileSync(temp, `${JSON.stringify(manifest)}\n`);
renameSync(temp, path.join(dist, "compile-cache.json"));
const kept = [...modules.values()].filter((m) => !m.commonjs).map((m) => m.name);
console.log(
  `commonjs chunks: ${modules.size - kept.length} of ${modules.size} converted (${helpersReplaced} interop helpers lightened); kept as ES modules: ${kept.join(", ") || "none"}`,
);

function describe(name) {
  const file = path.join(dist, name);
  const source = readFileSync(file, "utf8");
  const [imports] = parse(source, file);
  const staticDeps = imports.filter((i) => i.d === -1 && i.n?.startsWith("./")).map((i) => i.n.slice(2));
  return { name, file, staticDeps, commonjs: !hasTopLevelAwait(source) };
}

function hasTopLevelAwait(source) {
  try {
    esbuild.transformSync(source, { format: "cjs", logLevel: "silent" });
    return false;
  } catch (err) {
    if (err.errors?.some((e) => /top-level await/i.test(e.text))) return true;
    throw err;
  }
}

function assertNoCommonJsCycle() {
  const state = new Map();
  const visit = (name, trail) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "open")
      throw new Error(`commonjs chunks: import cycle ${[...trail, name].join(" → ")}`);
    state.set(name, "open");
    for (const dep of modules.get(name)?.staticDeps ?? [])
      if (modules.get(dep)?.commonjs) visit(dep, [...trail, name]);
    state.set(name, "done");
  };
  for (const m of modules.values()) if (m.commonjs) visit(m.name, []);
}

async function rebuild(m) {
  // The chunk's `require` shim (scripts/bundle-plugins.ts requireWhereNeeded) is CommonJS's own `require`.
  const source = readFileSync(m.file, "utf8");
  if (m.commonjs && source.includes(SHIM)) writeFileSync(m.file, source.replace(SHIM, ""));
  const outfile = m.commonjs ? m.file.replace(/\.js$/, ".cjs") : `${m.file}.tmp.js`;
  const result = await esbuild.build({
    entryPoints: [m.file],
    outfile,
    bundle: true,
    write: false,
    format: m.commonjs ? "cjs" : "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    sourcesContent: false,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "warning",
    // A lint about third-party code (webidl-conversions) that the first build already let through.
    logOverride: { "equals-negative-zero": "silent" },
    banner: m.commonjs ? { js: BANNER } : undefined,
    define: m.commonjs ? { "import.meta.url": "__ctMetaUrl" } : undefined,
    plugins: [
      {
        name: "every-import-external",
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) =>
            args.kind === "entry-point" ? undefined : { path: rename(args.path), external: true },
          );
        },
      },
    ],
  });
  // e.g. an `import.meta` property other than `url`, which CommonJS would leave empty.
  if (result.warnings.length > 0) throw new Error(`commonjs chunks: esbuild warned about ${m.name}`);
  for (const out of result.outputFiles) {
    let text = out.text;
    if (m.commonjs && out.path.endsWith(".cjs")) {
      const lightened = lightenInteropHelpers(renameDynamicImports(text));
      text = lightened.code;
      helpersReplaced += lightened.replaced;
    }
    const target = m.commonjs ? out.path : out.path.replace(/\.tmp\.js(\.map)?$/, "$1");
    writeFileSync(
      target,
      m.commonjs
        ? text
        : text.replace(
            `//# sourceMappingURL=${path.basename(outfile)}.map`,
            `//# sourceMappingURL=${m.name}.map`,
          ),
    );
  }
}

function renameDynamicImports(code) {
  const [imports] = parse(code);
  const bannerEnd = code.indexOf(BANNER) + BANNER.length;
  let out = "";
  let last = 0;
  for (const i of imports) {
    if (i.d === -1 || i.d === -2 || i.ss < bannerEnd) continue;
    if (code.slice(i.ss, i.ss + 6) !== "import")
      throw new Error(`commonjs chunks: unexpected dynamic import at ${i.ss}`);
    out += code.slice(last, i.ss) + IMPORT_HOOK;
    last = i.ss + 6;
  }
  return out + code.slice(last);
}
