import { existsSync } from "node:fs";
import path from "node:path";

/**
 * Which npm packages make up the llama.cpp runtime (node-llama-cpp) for this machine: node-llama-cpp itself plus
 * the prebuilt CPU binary for the platform, and a GPU build only where one is asked for or an NVIDIA driver is
 * present. node-llama-cpp's own optional dependencies would bring every build (~725 MB with CUDA and Vulkan).
 */

/** The node-llama-cpp release codetether is built and tested against (its peer dependency). */
export const LLAMA_CPP_VERSION = "3.22.1";

export type LlamaGpuBuild = "cuda" | "vulkan";
export const LLAMA_GPU_BUILDS: readonly LlamaGpuBuild[] = ["cuda", "vulkan"];

/**
 * sha512 of the release tarballs, from pnpm-lock.yaml (a test keeps them equal): the registry must serve exactly
 * these. Packages not listed (platforms the lockfile does not resolve) are checked against the registry's own
 * integrity by npm.
 */
export const LLAMA_RUNTIME_INTEGRITY: Readonly<Record<string, string>> = {
  "node-llama-cpp":
    "sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw==",
  "@node-llama-cpp/linux-x64":
    "sha512-5uCCDNqWCNfaAm8aR/Uzxbo4HBpKgNF91kCHPepKhgMgV2OAmatoefbOlMihsqCiH2Od35E/eUHQCFbfRBJuOg==",
  "@node-llama-cpp/linux-arm64":
    "sha512-W+7naKCXX9/eEjjFmRS8vvx91QyLXDbeFxexZc3bh/PtQABZgmRL3C0AtYYXn4YGTj/3Qor4lWZn2tpjZFPLdQ==",
  "@node-llama-cpp/linux-armv7l":
    "sha512-v/pHg4BcQHRDna+YYq4vWp44HCFluar4hAiB732Pa5PF89flMXhHSku68tQn+25RJjuc3TtoeY/i57WnX9GrdQ==",
  "@node-llama-cpp/linux-x64-cuda":
    "sha512-8rQCjyNNLZJUFit+YpjwlC4hwkKgOMIkB2wuycKBf8NU2O3ySKbiWZQ8aw9ku2nUTXjSnUIrE6KB88itduTBuA==",
  "@node-llama-cpp/linux-x64-vulkan":
    "sha512-bBxqU+JOcBu1nb5Qj2zcMci+JByT1E8EajHvYodyNfVIPkEhXh+/HMwR1/BT7xP08YK0hks+kM8fglER0P8JEg==",
};

export interface LlamaRuntimePackage {
  name: string;
  version: string;
  /** Expected sha512 (SRI) when pinned. */
  integrity?: string;
}

export interface LlamaRuntimePlan {
  /** node-llama-cpp first, then the CPU build, then any GPU builds. */
  packages: LlamaRuntimePackage[];
  gpu: LlamaGpuBuild[];
  /** Why a GPU build is included: "asked" (--gpu) or "detected" (an NVIDIA driver). */
  gpuReason?: "asked" | "detected";
}

/** Why the runtime cannot be planned: an unsupported platform or an unknown GPU build (a usage error). */
export class LlamaRuntimePlanError extends Error {
  override name = "LlamaRuntimePlanError";
}

const PLATFORM_PREFIX: Record<string, string> = { linux: "linux", darwin: "mac", win32: "win" };
const CPU_BUILDS = new Set([
  "linux-arm64",
  "linux-armv7l",
  "linux-riscv64",
  "linux-x64",
  "mac-arm64-metal",
  "mac-x64",
  "win-arm64",
  "win-x64",
]);

function cpuBuild(platform: string, arch: string): string {
  const prefix = PLATFORM_PREFIX[platform];
  const name = `${prefix}-${arch === "arm" ? "armv7l" : arch}${platform === "darwin" && arch === "arm64" ? "-metal" : ""}`;
  if (!prefix || !CPU_BUILDS.has(name)) {
    throw new LlamaRuntimePlanError(
      `node-llama-cpp has no prebuilt binary for ${platform}-${arch}; use a provider with an API key instead.`,
    );
  }
  return name;
}

/** An NVIDIA driver is loaded (Linux) or its tool is on PATH: the CUDA build is worth its size. */
export function detectGpuBuild(
  platform: string = process.platform,
  env: Record<string, string | undefined> = process.env,
): LlamaGpuBuild | undefined {
  if (platform !== "linux" && platform !== "win32") return undefined;
  if (platform === "linux" && existsSync("/proc/driver/nvidia/version")) return "cuda";
  const exe = platform === "win32" ? "nvidia-smi.exe" : "nvidia-smi";
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => existsSync(path.join(dir, exe))) ? "cuda" : undefined;
}

export interface LlamaRuntimePlanOptions {
  platform?: string;
  arch?: string;
  /** `cpu`: CPU only; `cuda`/`vulkan`: add that build; unset: add CUDA where an NVIDIA GPU is detected. */
  gpu?: string;
  env?: Record<string, string | undefined>;
}

export function llamaRuntimePlan(options: LlamaRuntimePlanOptions = {}): LlamaRuntimePlan {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const pkg = (name: string): LlamaRuntimePackage => {
    const integrity = LLAMA_RUNTIME_INTEGRITY[name];
    return { name, version: LLAMA_CPP_VERSION, ...(integrity ? { integrity } : {}) };
  };
  const cpu = cpuBuild(platform, arch);
  const packages = [pkg("node-llama-cpp"), pkg(`@node-llama-cpp/${cpu}`)];
  const asked = options.gpu?.trim().toLowerCase();
  if (asked && asked !== "cpu" && !LLAMA_GPU_BUILDS.includes(asked as LlamaGpuBuild)) {
    throw new LlamaRuntimePlanError(`--gpu must be cpu, cuda or vulkan, got "${options.gpu}".`);
  }
  const gpu =
    asked === "cpu"
      ? undefined
      : ((asked as LlamaGpuBuild | undefined) ?? detectGpuBuild(platform, options.env));
  if (!gpu) return { packages, gpu: [] };
  const gpuName = `${PLATFORM_PREFIX[platform]}-${arch}-${gpu}`;
  if (!(platform === "linux" || platform === "win32") || arch !== "x64") {
    if (asked) throw new LlamaRuntimePlanError(`node-llama-cpp has no ${gpu} build for ${platform}-${arch}.`);
    return { packages, gpu: [] };
  }
  return {
    packages: [...packages, pkg(`@node-llama-cpp/${gpuName}`)],
    gpu: [gpu],
    gpuReason: asked ? "asked" : "detected",
  };
}

/** `name@version …`, as npm takes them. */
export function planSpecs(plan: LlamaRuntimePlan): string[] {
  return plan.packages.map((p) => `${p.name}@${p.version}`);
}
