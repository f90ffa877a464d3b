import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

/** The parts of Node's CommonJS loader that `Module.prototype._compile` works with (not in @types/node). */
interface LoaderModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}
interface LoaderStatics {
  wrap(content: string): string;
  _resolveFilename(request: string, parent: LoaderModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: LoaderModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

/** What one process compiled without a usable cache entry: written when the process exits. */
interface PendingEntry {
  script: vm.Script;
  file: string;
  stamp: Buffer;
}

/**
 * Each entry starts with the module file's mtime and size. V8 checks only the source's length before it runs
 * cached code, so an entry for a file edited in place (same length, other code) would run the old code.
 */
const STAMP_BYTES = 16;

function stampOf(filename: string): Buffer {
  const stamp = Buffer.alloc(STAMP_BYTES);
  try {
    const stat = statSync(filename);
    stamp.writeDoubleLE(stat.mtimeMs, 0);
    stamp.writeDoubleLE(stat.size, 8);
  } catch {
    // unreadable stat: a zero stamp, which no entry written for a real file carries
  }
  return stamp;
}

export interface CachedCompileStats {
  /** Modules compiled from a cache entry V8 accepted. */
  hits: number;
  /** Modules compiled from source (no entry, or V8 rejected it: another Node, other flags, a corrupt file). */
  misses: number;
}

export interface CachedCompile {
  readonly stats: CachedCompileStats;
  /**
   * Writes an entry for every module compiled from source so far (the CLI calls it when the process exits).
   * True when this created the cache folder.
   */
  writePending(): boolean;
}

/**
 * Compiles the CommonJS modules under `root` with V8 code cache entries kept in `cacheDir`, one file per module.
 * This is what Node 22's `module.enableCompileCache()` does, for Node 20, which has no such API: the first run
 * compiles from source and writes each module's cache entry when the process exits (`writePending`, so the entry
 * also holds the functions that run compiled lazily); later runs hand V8 the entry and skip most of the parsing and compiling.
 *
 * V8 checks each entry against its own version, flags and the source's length, and compiles from source when it
 * does not fit; each entry also carries the file's mtime and size, and the CLI keys the folder by a hash of the
 * build (npm gives every installed file the same mtime). A cache that cannot be read or written is only slower:
 * errors are never raised from here.
 */
export function installCachedCompile(root: string, cacheDir: string): CachedCompile {
  // Node's Module class, reached through this module's own object: requiring node:module would load the public
  // wrapper and its source-map support, which nothing else on `run`'s way to the first request needs.
  const Module = (module as unknown as { constructor: { prototype: unknown } }).constructor;
  const loader = Module as unknown as LoaderStatics;
  const proto = Module.prototype as LoaderModule;
  const original = proto._compile;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const pending: PendingEntry[] = [];
  const stats: CachedCompileStats = { hits: 0, misses: 0 };

  proto._compile = function compileWithCache(this: LoaderModule, content: string, filename: string) {
    if (!filename.startsWith(prefix) || !filename.endsWith(".cjs"))
      return original.call(this, content, filename);
    const file = path.join(cacheDir, `${path.basename(filename)}.v8`);
    const stamp = stampOf(filename);
    const cachedData = readEntry(file, stamp);
    const script = new vm.Script(loader.wrap(content), { filename, cachedData });
    if (cachedData && !script.cachedDataRejected) stats.hits++;
    else {
      stats.misses++;
      pending.push({ script, file, stamp });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(
      this.exports,
      this.exports,
      requireFor(this, loader),
      this,
      filename,
      path.dirname(filename),
    );
  };

  return {
    stats,
    writePending: () => writeEntries(cacheDir, pending.splice(0)),
  };
}

/** The V8 data of `file` when its stamp is the module's, else undefined. */
function readEntry(file: string, stamp: Buffer): Buffer | undefined {
  let entry: Buffer;
  try {
    entry = readFileSync(file);
  } catch {
    return undefined;
  }
  const fits =
    entry.length > STAMP_BYTES && entry.subarray(0, STAMP_BYTES).equals(stamp) && stamp.some((b) => b !== 0);
  return fits ? entry.subarray(STAMP_BYTES) : undefined;
}

/** `require` as Node's loader gives it to a module (its internal makeRequireFunction is not exported). */
function requireFor(module: LoaderModule, loader: LoaderStatics): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    loader._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = loader._extensions as NodeJS.Require["extensions"];
  require.cache = loader._cache as NodeJS.Require["cache"];
  return require;
}

/** Each entry through a temp file and a rename: a concurrent run reads a whole entry or none. */
function writeEntries(cacheDir: string, pending: PendingEntry[]): boolean {
  if (pending.length === 0) return false;
  let created: boolean;
  try {
    created = mkdirSync(cacheDir, { recursive: true, mode: 0o700 }) !== undefined;
  } catch {
    return false;
  }
  for (const { script, file, stamp } of pending) {
    const temp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, Buffer.concat([stamp, script.createCachedData()]), { mode: 0o600 });
      renameSync(temp, file);
    } catch {
      rmSync(temp, { force: true });
    }
  }
  return created;
}
