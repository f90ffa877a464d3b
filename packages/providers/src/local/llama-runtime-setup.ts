import {
  installLlamaRuntime,
  LlamaRuntimeInstallError,
  LlamaRuntimeMissingError,
  type LlamaRuntimePlan,
  LlamaRuntimePlanError,
  type LlamaRuntimeProgress,
  type LoadedLlamaRuntime,
  llamaRuntimeDir,
  llamaRuntimePlan,
  loadNodeLlamaCpp,
  ProviderError,
  planSpecs,
} from "@codetether/core";
import { missingSdkError } from "../shared/vendor-errors.js";

/**
 * node-llama-cpp for the local provider: beside codetether, else in the data dir, else installed there — only
 * with consent (`CODETETHER_ASSUME_YES=1` here; the CLI also asks on a TTY and takes `--yes`).
 */

export type NodeLlamaCpp = typeof import("node-llama-cpp");
type Env = Record<string, string | undefined>;

/** `CODETETHER_ASSUME_YES=1` (or true/yes): installing the runtime needs no question. */
export function assumeYes(env: Env): boolean {
  return /^(1|true|yes)$/i.test(env.CODETETHER_ASSUME_YES ?? "");
}

const KEY_HINT =
  "or use a provider with an API key instead (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, AWS credentials, …)";

/** What installing would do, in one line: packages, build, size of the CPU build, registry, target. */
export function describeRuntimeInstall(plan: LlamaRuntimePlan, dir: string): string {
  const builds = plan.gpu.length
    ? `CPU + ${plan.gpu.join(" + ").toUpperCase()} builds`
    : "CPU build, about 85 MB";
  return `the llama.cpp runtime ${planSpecs(plan).join(" + ")} (${builds}) into ${dir}`;
}

/** The refusal when nobody confirmed: how to confirm, how to install ahead of time, or how to avoid it. */
export function runtimeConsentMessage(plan: LlamaRuntimePlan, dir: string): string {
  return (
    `The local model runs on llama.cpp, which is not installed yet. codetether can install ${describeRuntimeInstall(plan, dir)} ` +
    "from the npm registry: confirm with --yes (or CODETETHER_ASSUME_YES=1 when there is no terminal to ask), " +
    `install it ahead of time with \`codetether models --pull\`, ${KEY_HINT}.`
  );
}

/** The plan for this machine; an unsupported platform or `--gpu` value is a usage error of kind bad_request. */
export function planFor(env: Env, gpu?: string): LlamaRuntimePlan {
  try {
    return llamaRuntimePlan({ env, ...(gpu ? { gpu } : {}) });
  } catch (err) {
    if (!(err instanceof LlamaRuntimePlanError)) throw err;
    throw new ProviderError(`local: ${err.message}`, { provider: "local", kind: "bad_request", cause: err });
  }
}

export interface InstallLocalRuntimeOptions {
  env: Env;
  plan: LlamaRuntimePlan;
  onProgress?: (progress: LlamaRuntimeProgress) => void;
  signal?: AbortSignal;
}

/** Installs the runtime; a failure (offline, bad integrity, npm missing) is a non-retryable ProviderError. */
export async function installLocalRuntime(options: InstallLocalRuntimeOptions): Promise<string> {
  try {
    return await installLlamaRuntime(options);
  } catch (err) {
    if (!(err instanceof LlamaRuntimeInstallError)) throw err;
    throw new ProviderError(`local: ${err.message}`, { provider: "local", kind: "not_found", cause: err });
  }
}

/** Whether node-llama-cpp loads without installing anything. */
export async function localRuntimeReady(env: Env): Promise<boolean> {
  try {
    await loadNodeLlamaCpp<NodeLlamaCpp>(() => import("node-llama-cpp"), env);
    return true;
  } catch (err) {
    if (err instanceof LlamaRuntimeMissingError) return false;
    throw missingSdkError("node-llama-cpp", "local", err);
  }
}

/**
 * Loads node-llama-cpp for a generation. When it is missing, installs it if `CODETETHER_ASSUME_YES` says so,
 * else fails with {@link runtimeConsentMessage}.
 */
export async function loadLocalLlama(env: Env): Promise<LoadedLlamaRuntime<NodeLlamaCpp>> {
  const load = () => loadNodeLlamaCpp<NodeLlamaCpp>(() => import("node-llama-cpp"), env);
  try {
    return await load();
  } catch (err) {
    if (!(err instanceof LlamaRuntimeMissingError)) throw missingSdkError("node-llama-cpp", "local", err);
    const plan = planFor(env);
    if (!assumeYes(env)) {
      throw new ProviderError(runtimeConsentMessage(plan, llamaRuntimeDir(env)), {
        provider: "local",
        kind: "bad_request",
        cause: err,
      });
    }
    await installLocalRuntime({ env, plan });
    return load();
  }
}

/** Install progress for a terminal (one redrawn line) or a log (a line per 10 MB). */
export function runtimeProgressPrinter(
  write: (text: string) => void,
  tty: boolean,
): (progress: LlamaRuntimeProgress) => void {
  let lastStep = -1;
  const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
  return (p) => {
    if (p.phase === "check") return write("llama.cpp runtime: checking the npm registry…\n");
    if (p.phase === "done") {
      return write(`${tty ? "\r\x1b[K" : ""}llama.cpp runtime: installed (${mb(p.installedBytes)} MB).\n`);
    }
    if (tty) return write(`\r\x1b[Kllama.cpp runtime: downloading… ${mb(p.installedBytes)} MB`);
    const step = Math.floor(p.installedBytes / 10e6);
    if (step > lastStep) {
      lastStep = step;
      write(`llama.cpp runtime: downloading… ${mb(p.installedBytes)} MB\n`);
    }
  };
}
