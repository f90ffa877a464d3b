import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { dataDir } from "../util/xdg-paths.js";
import { LLAMA_CPP_VERSION, type LlamaGpuBuild } from "./llama-runtime-plan.js";

/**
 * Where codetether keeps the llama.cpp runtime it installed itself, and loading node-llama-cpp from there when it
 * is not installed beside codetether (the npm package bundles everything else, but this one is native and large).
 */

type Env = Record<string, string | undefined>;

/** `<dataDir>/runtime/node-llama-cpp@<version>`: an npm prefix (its `node_modules/` holds the packages). */
export function llamaRuntimeDir(env: Env = process.env): string {
  return path.join(dataDir(env), "runtime", `node-llama-cpp@${LLAMA_CPP_VERSION}`);
}

/** Written last by the installer, after the packages were verified. */
export interface LlamaRuntimeManifest {
  version: string;
  packages: { name: string; version: string; integrity: string }[];
  gpu: LlamaGpuBuild[];
  registry: string;
  installedAt: string;
}

export const LLAMA_RUNTIME_MANIFEST = "codetether-runtime.json";

export function readLlamaRuntimeManifest(dir: string): LlamaRuntimeManifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, LLAMA_RUNTIME_MANIFEST), "utf8")) as LlamaRuntimeManifest;
  } catch {
    return undefined;
  }
}

/** The entry file of node-llama-cpp under `dir`, when that prefix has it (installed by codetether or by hand). */
export function llamaRuntimeEntry(dir: string): string | undefined {
  const pkgDir = path.join(dir, "node_modules", "node-llama-cpp");
  const manifest = path.join(pkgDir, "package.json");
  if (!existsSync(manifest)) return undefined;
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
    exports?: Record<string, { import?: string; default?: string } | string>;
    main?: string;
  };
  const root = pkg.exports?.["."];
  const rel = typeof root === "string" ? root : (root?.import ?? root?.default ?? pkg.main ?? "index.js");
  return path.join(pkgDir, rel);
}

/** node-llama-cpp is not beside codetether and not in the data dir either. */
export class LlamaRuntimeMissingError extends Error {
  override name = "LlamaRuntimeMissingError";
  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    super(`node-llama-cpp@${LLAMA_CPP_VERSION} is not installed beside codetether nor in ${dir}.`, { cause });
  }
}

export interface LoadedLlamaRuntime<T> {
  sdk: T;
  /** `beside`: resolved from codetether's own install; `data-dir`: from {@link llamaRuntimeDir}. */
  source: "beside" | "data-dir";
  /** GPU builds the data-dir runtime was installed with (none when beside). */
  gpu: LlamaGpuBuild[];
}

function isModuleNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/**
 * Loads node-llama-cpp: `importBeside` (the caller's own `import("node-llama-cpp")`, so it resolves from where
 * the caller is installed) first, else the copy in the data dir. Throws {@link LlamaRuntimeMissingError} when
 * neither has it; any other load failure is rethrown as is.
 */
export async function loadNodeLlamaCpp<T>(
  importBeside: () => Promise<T>,
  env: Env = process.env,
): Promise<LoadedLlamaRuntime<T>> {
  try {
    return { sdk: await importBeside(), source: "beside", gpu: [] };
  } catch (err) {
    if (!isModuleNotFound(err)) throw err;
    const dir = llamaRuntimeDir(env);
    const entry = llamaRuntimeEntry(dir);
    if (!entry) throw new LlamaRuntimeMissingError(dir, err);
    const sdk = (await import(pathToFileURL(entry).href)) as T;
    return { sdk, source: "data-dir", gpu: readLlamaRuntimeManifest(dir)?.gpu ?? [] };
  }
}
