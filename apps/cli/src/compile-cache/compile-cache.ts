import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { installCachedCompile } from "./cached-compile.js";

/** The build's name (scripts/commonjs-chunks.mjs writes it): the cache folder is per build. */
interface BuildManifest {
  build: string;
}

/**
 * Where compiled code is cached: `compile-cache` in codetether's cache dir, `$XDG_CACHE_HOME/codetether` (default
 * `~/.cache/codetether`), the same rule as core's `cacheDir`. That folder is hidden from every sandboxed command,
 * which is what keeps a command the model runs from planting compiled code that the next start would run. The
 * rule is restated, not imported: bin.cjs importing core grows from 9 KB to 640 KB, parsed by `--version` too.
 * compile-cache.test checks that both agree.
 */
export function compileCacheRoot(env: NodeJS.ProcessEnv): string {
  // os.homedir() reads HOME first too; node:os is required only without it.
  const home = () => env.HOME || (require("node:os") as typeof import("node:os")).homedir();
  return path.join(env.XDG_CACHE_HOME || path.join(home(), ".cache"), "codetether", "compile-cache");
}

/**
 * Prepares the loading of the CLI's CommonJS chunks in `dist` (see scripts/commonjs-chunks.mjs):
 * - their dynamic imports go through `import()` from here, relative to `dist` (a module compiled with a code
 *   cache through `vm.Script` cannot call `import()` itself on Node 20);
 * - their compiled code is cached across runs: Node 22.1+'s own compile cache where it exists, else
 *   installCachedCompile. `NODE_DISABLE_COMPILE_CACHE=1` (Node's switch) turns both off.
 * `CODETETHER_DEBUG_COMPILE_CACHE=1` prints Node 20's hit and miss counts to stderr when the process exits.
 */
export function prepareChunkLoading(dist: string, env: NodeJS.ProcessEnv): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for("codetether.import")] = (specifier: string) =>
    specifier.startsWith("./") && specifier.endsWith(".cjs")
      ? Promise.resolve().then(() => require(path.join(dist, specifier)))
      : import(specifier.startsWith("./") ? pathToFileURL(path.join(dist, specifier)).href : specifier);
  if (env.NODE_DISABLE_COMPILE_CACHE) return;
  const root = compileCacheRoot(env);
  // Node 22.1+ (node:module is required only there: Node 20 has no compile cache to turn on).
  const native =
    Number(process.versions.node.split(".")[0]) >= 22
      ? (require("node:module") as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache
      : undefined;
  if (native) {
    native(path.join(root, "node"));
    return;
  }
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dist, "compile-cache.json"), "utf8")) as BuildManifest;
  } catch {
    return; // a build without the manifest runs uncached
  }
  const folder = `${manifest.build}-node${process.versions.node}-${process.arch}`;
  const cache = installCachedCompile(dist, path.join(root, folder));
  process.once("exit", () => {
    if (cache.writePending()) pruneOtherBuilds(root, folder);
    if (env.CODETETHER_DEBUG_COMPILE_CACHE === "1")
      process.stderr.write(
        `codetether: compile cache ${cache.stats.hits} hits, ${cache.stats.misses} misses\n`,
      );
  });
}

/** Builds kept besides the current one (another installed version run now and then keeps its cache). */
const KEEP_OTHER_BUILDS = 3;

/** A new build's first run removes the cache folders of all but the most recently used other builds. */
export function pruneOtherBuilds(root: string, current: string): void {
  try {
    const others = readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== current && e.name !== "node")
      .map((e) => ({ dir: path.join(root, e.name), used: statSync(path.join(root, e.name)).mtimeMs }))
      .sort((a, b) => b.used - a.used);
    for (const { dir } of others.slice(KEEP_OTHER_BUILDS)) rmSync(dir, { recursive: true, force: true });
  } catch {
    // another run pruned at the same time, or the folder went away: nothing to do
  }
}
