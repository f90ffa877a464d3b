import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  LLAMA_RUNTIME_MANIFEST,
  type LlamaRuntimeManifest,
  llamaRuntimeDir,
  llamaRuntimeEntry,
} from "./llama-runtime-location.js";
import { type LlamaRuntimePlan, planSpecs } from "./llama-runtime-plan.js";

/**
 * Installs the llama.cpp runtime into the data dir with the user's npm (so the registry, proxy and CA settings of
 * their npm config apply): the registry is checked first (fail fast offline), the packages go into a staging
 * prefix, their integrity is compared with the pins, and only then is the prefix renamed into place.
 */

type Env = Record<string, string | undefined>;

export interface LlamaRuntimeProgress {
  /** `check`: asking the registry; `download`: npm is installing; `done`: verified and in place. */
  phase: "check" | "download" | "done";
  /** Bytes in the staging prefix so far. */
  installedBytes: number;
}

export interface InstallLlamaRuntimeOptions {
  plan: LlamaRuntimePlan;
  env?: Env;
  onProgress?: (progress: LlamaRuntimeProgress) => void;
  signal?: AbortSignal;
  /** How long the registry may take to answer before it counts as unreachable. Default 10000 ms. */
  connectTimeoutMs?: number;
}

/** Why the runtime could not be installed; `message` says what to download and where to put it. */
export class LlamaRuntimeInstallError extends Error {
  override name = "LlamaRuntimeInstallError";
}

const run = promisify(execFile);
/**
 * How to start npm: `npm` on PATH; on Windows the npm-cli.js shipped beside node.exe, run with node (Node refuses
 * to spawn `npm.cmd` without a shell, and a shell would re-parse paths with spaces).
 */
function npmCommand(args: string[]): [string, string[]] {
  if (process.platform !== "win32") return ["npm", args];
  const cli = path.join(path.dirname(process.execPath), "node_modules", "npm", "bin", "npm-cli.js");
  return existsSync(cli) ? [process.execPath, [cli, ...args]] : ["npm.cmd", args];
}

/** The command that installs the plan by hand into `dir` (what the error messages tell the user to run). */
export function manualInstallCommand(plan: LlamaRuntimePlan, dir: string): string {
  const at = JSON.stringify(dir);
  return `mkdir -p ${at} && cd ${at} && npm install --omit=optional --ignore-scripts ${planSpecs(plan).join(" ")}`;
}

function manualHint(plan: LlamaRuntimePlan, dir: string): string {
  return (
    `Download it on a machine with access to the npm registry with \`${manualInstallCommand(plan, dir)}\` ` +
    `and copy ${dir} to the same place here (or install it beside a global codetether: ` +
    `npm install -g ${planSpecs(plan).join(" ")}).`
  );
}

/** The registry npm would use here (`npm_config_registry`, .npmrc, else the public one). */
export async function npmRegistry(env: Env): Promise<string> {
  const fromEnv = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  if (fromEnv) return fromEnv.endsWith("/") ? fromEnv : `${fromEnv}/`;
  try {
    const [cmd, argv] = npmCommand(["config", "get", "registry"]);
    const { stdout } = await run(cmd, argv, { env, timeout: 15_000 });
    const value = stdout.trim();
    if (/^https?:\/\//.test(value)) return value.endsWith("/") ? value : `${value}/`;
  } catch {
    // No npm config to read: the install step reports a missing npm.
  }
  return "https://registry.npmjs.org/";
}

interface NpmViewAnswer {
  integrity?: string;
  /** npm's error code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, E404, SELF_SIGNED_CERT_IN_CHAIN, …) and summary. */
  error?: string;
}

/**
 * `npm view <pkg>@<version> dist.integrity`: the registry asked through npm itself, so its registry, proxy, CA
 * and auth settings apply exactly as they will for the install; no retries, so offline fails fast.
 */
function npmView(
  spec: string,
  registry: string,
  cache: string,
  env: Env,
  timeoutMs: number,
  signal?: AbortSignal,
) {
  const args = [
    "view",
    "--json",
    "--fetch-retries=0",
    `--fetch-timeout=${timeoutMs}`,
    `--registry=${registry}`,
    // An empty cache: npm would otherwise answer from a stale cached copy when the registry is unreachable.
    `--cache=${cache}`,
  ];
  return new Promise<NpmViewAnswer>((resolve, reject) => {
    const [cmd, argv] = npmCommand([...args, spec, "dist.integrity"]);
    execFile(
      cmd,
      argv,
      { env, timeout: timeoutMs + 30_000, ...(signal ? { signal } : {}) },
      (err, stdout) => {
        if (signal?.aborted) return reject(err);
        let parsed: unknown;
        try {
          parsed = JSON.parse(stdout || "null");
        } catch {
          parsed = undefined;
        }
        if (typeof parsed === "string") return resolve({ integrity: parsed });
        const error = (parsed as { error?: { code?: string; summary?: string } } | undefined)?.error;
        if (error) return resolve({ error: `${error.code ?? "error"}: ${error.summary ?? ""}`.trim() });
        const code = (err as NodeJS.ErrnoException | null)?.code;
        if (code === "ENOENT") return resolve({ error: "npm was not found on PATH" });
        resolve({ error: err ? err.message.split("\n")[0] : "no version information" });
      },
    );
  });
}

/** Asks the registry for each package version; returns the integrity it advertises. Throws when unreachable. */
async function checkRegistry(
  plan: LlamaRuntimePlan,
  registry: string,
  dir: string,
  env: Env,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const cache = await fs.mkdtemp(path.join(os.tmpdir(), "ct-npm-view-"));
  const answers = await Promise.all(
    plan.packages.map((pkg) =>
      npmView(`${pkg.name}@${pkg.version}`, registry, cache, env, timeoutMs, signal),
    ),
  ).finally(() => fs.rm(cache, { recursive: true, force: true }));
  const integrity = new Map<string, string>();
  plan.packages.forEach((pkg, i) => {
    const answer = answers[i] ?? {};
    if (answer.error) {
      throw new LlamaRuntimeInstallError(
        `cannot reach the npm registry ${registry} (${answer.error}) to install the llama.cpp runtime ${planSpecs(plan).join(" + ")}. ${manualHint(plan, dir)}`,
      );
    }
    const advertised = answer.integrity;
    if (!advertised || (pkg.integrity && advertised !== pkg.integrity)) {
      throw new LlamaRuntimeInstallError(
        `the npm registry ${registry} serves ${pkg.name}@${pkg.version} with integrity ${advertised ?? "(none)"}, not the published ${pkg.integrity ?? "sha512"}: refusing to install it. ${manualHint(plan, dir)}`,
      );
    }
    integrity.set(pkg.name, advertised);
  });
  return integrity;
}

/** Total size of the files under `dir` (bounded: progress only). */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  let seen = 0;
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (++seen > 50_000) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) total += (await fs.stat(p).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(dir);
  return total;
}

function npmInstall(staging: string, registry: string, env: Env, signal?: AbortSignal): Promise<void> {
  // Run in the staging directory, not with --prefix: --prefix also moves npm's global config (`<prefix>/etc/npmrc`),
  // and with it the registry, proxy and CA settings many machines keep there.
  const args = ["install", "--omit=optional", "--ignore-scripts", "--no-audit", "--no-fund"];
  args.push("--no-progress", "--loglevel=error", `--registry=${registry}`);
  return new Promise((resolve, reject) => {
    const [cmd, argv] = npmCommand(args);
    const child = spawn(cmd, argv, { cwd: staging, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      if (stderr.length < 20_000) stderr += d;
    });
    const onAbort = () => child.kill("SIGTERM");
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) => {
      signal?.removeEventListener("abort", onAbort);
      reject(err);
    });
    child.on("close", (code) => {
      signal?.removeEventListener("abort", onAbort);
      if (code === 0) resolve();
      else reject(new Error(stderr.trim().split("\n").slice(-6).join("\n") || `npm exited with ${code}`));
    });
  });
}

/** The installed packages match the plan: versions, and integrity as the registry advertised (and pinned). */
async function verify(staging: string, plan: LlamaRuntimePlan, expected: Map<string, string>) {
  const lock = JSON.parse(
    await fs.readFile(path.join(staging, "node_modules", ".package-lock.json"), "utf8"),
  ) as {
    packages?: Record<string, { version?: string; integrity?: string }>;
  };
  return plan.packages.map((pkg) => {
    const entry = lock.packages?.[`node_modules/${pkg.name}`];
    const want = expected.get(pkg.name);
    if (entry?.version !== pkg.version || !entry.integrity || entry.integrity !== want) {
      throw new Error(
        `${pkg.name}: installed ${entry?.version ?? "nothing"} (${entry?.integrity ?? "no integrity"}), expected ${pkg.version} (${want})`,
      );
    }
    return { name: pkg.name, version: pkg.version, integrity: entry.integrity };
  });
}

/**
 * Installs `plan` into {@link llamaRuntimeDir} and returns that directory. An existing runtime there is replaced
 * only once the new one is verified; a concurrent install of the same runtime wins harmlessly.
 */
export async function installLlamaRuntime(options: InstallLlamaRuntimeOptions): Promise<string> {
  const env = options.env ?? process.env;
  const { plan, onProgress, signal } = options;
  const dir = llamaRuntimeDir(env);
  onProgress?.({ phase: "check", installedBytes: 0 });
  const registry = await npmRegistry(env);
  const expected = await checkRegistry(plan, registry, dir, env, options.connectTimeoutMs ?? 10_000, signal);

  await fs.mkdir(path.dirname(dir), { recursive: true });
  await sweepAbandoned(dir);
  const staging = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await fs.mkdir(staging);
  const timer = onProgress
    ? setInterval(() => {
        void treeBytes(staging).then((installedBytes) => onProgress({ phase: "download", installedBytes }));
      }, 1000)
    : undefined;
  try {
    const dependencies = Object.fromEntries(plan.packages.map((p) => [p.name, p.version]));
    await fs.writeFile(
      path.join(staging, "package.json"),
      `${JSON.stringify({ name: "codetether-llama-runtime", private: true, dependencies }, null, 2)}\n`,
    );
    try {
      await npmInstall(staging, registry, env, signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      const why =
        (err as NodeJS.ErrnoException).code === "ENOENT"
          ? "npm was not found on PATH"
          : (err as Error).message;
      throw new LlamaRuntimeInstallError(
        `installing the llama.cpp runtime failed: ${why}. ${manualHint(plan, dir)}`,
      );
    }
    let packages: LlamaRuntimeManifest["packages"];
    try {
      packages = await verify(staging, plan, expected);
    } catch (err) {
      throw new LlamaRuntimeInstallError(
        `the llama.cpp runtime from ${registry} failed verification (${(err as Error).message}); nothing was installed. ${manualHint(plan, dir)}`,
      );
    }
    const manifest: LlamaRuntimeManifest = {
      version: plan.packages[0]?.version ?? "",
      packages,
      gpu: plan.gpu,
      registry,
      installedAt: new Date().toISOString(),
    };
    await fs.writeFile(path.join(staging, LLAMA_RUNTIME_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await moveIntoPlace(staging, dir);
    onProgress?.({ phase: "done", installedBytes: await treeBytes(dir) });
    return dir;
  } finally {
    if (timer) clearInterval(timer);
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/** Renames the verified staging prefix to `dir`, moving an older runtime aside first. */
async function moveIntoPlace(staging: string, dir: string): Promise<void> {
  const old = `${dir}.old-${process.pid}-${randomBytes(4).toString("hex")}`;
  const hadOld = await fs.rename(dir, old).then(
    () => true,
    () => false,
  );
  try {
    await fs.rename(staging, dir);
  } catch (err) {
    // Another process put a runtime in place meanwhile: keep theirs.
    if (!llamaRuntimeEntry(dir)) throw err;
  }
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes staging and moved-aside prefixes (`<dir>.tmp-<pid>-…`, `<dir>.old-<pid>-…`) of installs whose process is gone. */
export async function sweepAbandoned(dir: string): Promise<string[]> {
  const base = path.basename(dir);
  const pattern = new RegExp(
    `^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(?:tmp|old)-(\\d+)-[0-9a-f]+$`,
  );
  const entries = await fs.readdir(path.dirname(dir)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of entries) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    await fs.rm(path.join(path.dirname(dir), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
