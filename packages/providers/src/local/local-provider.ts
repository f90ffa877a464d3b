import os from "node:os";
import path from "node:path";
import type { LlamaRuntimeProgress } from "@codetether/core";
import {
  abortError,
  type ChatRequest,
  dataDir,
  EventChannel,
  isAbortError,
  type ModelInfo,
  type Provider,
  ProviderError,
  type StreamChunk,
} from "@codetether/core";
import { installLocalRuntime, loadLocalLlama, localRuntimeReady, planFor } from "./llama-runtime-setup.js";
import { generateLocal } from "./local-generate.js";
import { type DownloadProgress, LOCAL_DEFAULT_MODEL, resolveLocalModelFile } from "./local-model-source.js";
import { LocalRuntime } from "./local-runtime.js";

type Env = Record<string, string | undefined>;

export interface LocalProviderOptions {
  /** Default `local`. */
  id?: string;
  /**
   * GGUF used for `local/default` (and an empty model id): a file path or `hf:` URI.
   * Default: `CODETETHER_LOCAL_MODEL`, else {@link LOCAL_DEFAULT_MODEL}.
   */
  defaultModel?: string;
  /** Where `hf:` models are downloaded. Default `<dataDir>/models`. */
  modelsDir?: string;
  /**
   * `false` = CPU only, `"auto"` = best GPU node-llama-cpp finds. Env: `CODETETHER_LOCAL_GPU`. Default: CPU,
   * or `"auto"` when codetether installed the runtime with a GPU build.
   */
  gpu?: false | "auto";
  /** CPU threads (env `CODETETHER_LOCAL_THREADS`). Default: available parallelism, at most 8. Use 1 for tiny models. */
  threads?: number;
  /** Context size in tokens (capped at the model's training context). Env `CODETETHER_LOCAL_CONTEXT`; default 16384. */
  contextSize?: number;
  /** `maxTokens` when the request sets none. Env `CODETETHER_LOCAL_MAX_TOKENS`; default 2048. */
  defaultMaxTokens?: number;
  /** Sampling seed, for reproducible output. */
  seed?: number;
  /** Never download models (also `CODETETHER_OFFLINE=1`). */
  offline?: boolean;
  /** Hugging Face endpoint for `hf:` URIs (default `HF_ENDPOINT`, else huggingface.co). */
  huggingFaceEndpoint?: string;
  /** How long to wait for the download endpoint before failing as offline. Default 8000 ms. */
  connectTimeoutMs?: number;
  /** Download progress of `hf:` models (for a progress bar). */
  onDownloadProgress?: (progress: DownloadProgress) => void;
  env?: Env;
}

export interface LocalRuntimeInstall {
  /** `cpu`, `cuda` or `vulkan`; unset: CPU plus CUDA where an NVIDIA GPU is detected. */
  gpu?: string;
  onProgress?: (progress: LlamaRuntimeProgress) => void;
  signal?: AbortSignal;
}

export interface LocalProvider extends Provider {
  readonly defaultModel: string;
  readonly modelsDir: string;
  /** Resolves (downloading if needed, with `onProgress`, else the provider's) the GGUF file for a model id. */
  resolveModelFile(
    model: string,
    signal?: AbortSignal,
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<string>;
  /** Whether node-llama-cpp loads (beside codetether or from the data dir) without installing anything. */
  runtimeReady(): Promise<boolean>;
  /** What {@link installRuntime} would install (packages, GPU builds); throws for an unsupported platform or GPU. */
  runtimePlan(gpu?: string): ReturnType<typeof planFor>;
  /** Installs the llama.cpp runtime into the data dir now (the caller has the user's consent); returns the dir. */
  installRuntime(options?: LocalRuntimeInstall): Promise<string>;
  /** Frees loaded models and the llama.cpp backend. */
  dispose(): Promise<void>;
}

/** `CODETETHER_LOCAL_GPU`: `auto` uses a GPU when node-llama-cpp finds one; `false`/`cpu`: CPU; unset: undefined. */
function envGpu(env: Env): false | "auto" | undefined {
  const value = (env.CODETETHER_LOCAL_GPU ?? "").trim().toLowerCase();
  if (value === "") return undefined;
  if (value === "false" || value === "cpu" || value === "0") return false;
  if (value === "auto" || value === "true" || value === "1") return "auto";
  throw new Error(`CODETETHER_LOCAL_GPU must be "auto" or "cpu", got "${env.CODETETHER_LOCAL_GPU}".`);
}

/** A positive whole number from an environment variable (`CODETETHER_LOCAL_THREADS`, `CODETETHER_LOCAL_CONTEXT`). */
function envPositiveInt(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${name} must be a positive integer, got "${raw}".`);
  }
  return n;
}

/**
 * The `local` provider on node-llama-cpp (loaded on first use): any GGUF by path or `hf:` URI, the chat
 * template from the model, tool calls through node-llama-cpp function calling or a JSON-Schema grammar.
 * Model ids: `default`, a path (`local//abs/model.gguf`, `local/./rel.gguf`) or an `hf:` URI.
 */
export function createLocalProvider(options: LocalProviderOptions = {}): LocalProvider {
  const env = options.env ?? process.env;
  const id = options.id ?? "local";
  const defaultModel = options.defaultModel ?? (env.CODETETHER_LOCAL_MODEL || LOCAL_DEFAULT_MODEL);
  const modelsDir = options.modelsDir ?? path.join(dataDir(env), "models");
  const offline = options.offline ?? /^(1|true|yes)$/i.test(env.CODETETHER_OFFLINE ?? "");
  const runtime = new LocalRuntime({
    gpu: options.gpu ?? envGpu(env),
    load: () => loadLocalLlama(env),
    threads:
      options.threads ??
      envPositiveInt(env, "CODETETHER_LOCAL_THREADS") ??
      Math.max(1, Math.min(8, os.availableParallelism())),
    // The agent's system prompt and tool schemas alone take several thousand tokens.
    contextSize: options.contextSize ?? envPositiveInt(env, "CODETETHER_LOCAL_CONTEXT") ?? 16384,
  });

  const resolveModelFile = (
    model: string,
    signal?: AbortSignal,
    onProgress: ((progress: DownloadProgress) => void) | undefined = options.onDownloadProgress,
  ) =>
    resolveLocalModelFile(
      !model || model === "default" ? defaultModel : model,
      {
        modelsDir,
        offline,
        ...(options.huggingFaceEndpoint ? { huggingFaceEndpoint: options.huggingFaceEndpoint } : {}),
        ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
        ...(onProgress ? { onProgress } : {}),
        ...(signal ? { signal } : {}),
      },
      () => runtime.loadSdk(),
    );

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamChunk> {
    if (signal?.aborted) throw abortError(signal);
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const channel = new EventChannel<StreamChunk>();
    const run = (async () => {
      const file = await resolveModelFile(request.model, controller.signal);
      const loaded = await runtime.load(file);
      await loaded.exclusive(() =>
        generateLocal(runtime, loaded, request, {
          maxTokens: options.defaultMaxTokens ?? envPositiveInt(env, "CODETETHER_LOCAL_MAX_TOKENS") ?? 2048,
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
          signal: controller.signal,
          emit: (chunk) => channel.push(chunk),
        }),
      );
    })().then(
      () => channel.close(),
      (err: unknown) => channel.fail(err),
    );
    try {
      for await (const chunk of channel) yield chunk;
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      if (err instanceof ProviderError || isAbortError(err)) throw err;
      throw new ProviderError(`local: ${err instanceof Error ? err.message : String(err)}`, {
        provider: id,
        kind: "unknown",
        cause: err,
      });
    } finally {
      // Stops generation when the consumer leaves early; a finished run ignores it.
      controller.abort();
      signal?.removeEventListener("abort", onAbort);
      await run;
    }
  }

  const info = (model: string): ModelInfo => ({
    id: model,
    provider: id,
    name: model === defaultModel ? `${model} (default)` : model,
    contextWindow: options.contextSize ?? envPositiveInt(env, "CODETETHER_LOCAL_CONTEXT") ?? 16384,
    supportsTools: true,
    supportsVision: false,
    supportsReasoning: false,
    pricing: { input: 0, output: 0 },
  });

  return {
    id,
    defaultModel,
    modelsDir,
    resolveModelFile,
    runtimeReady: () => localRuntimeReady(env),
    runtimePlan: (gpu?: string) => planFor(env, gpu),
    installRuntime: (install: LocalRuntimeInstall = {}) =>
      installLocalRuntime({
        env,
        plan: planFor(env, install.gpu),
        ...(install.onProgress ? { onProgress: install.onProgress } : {}),
        ...(install.signal ? { signal: install.signal } : {}),
      }),
    listModels: async () => [info(defaultModel)],
    stream,
    dispose: () => runtime.dispose(),
  };
}
