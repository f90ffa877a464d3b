import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ProviderError } from "@codetether/core";

/**
 * The embedded default model: Qwen3.5 0.8B (Q4_K_M), an instruct model with tool calling that runs on a
 * CPU. The URI is taken from node-llama-cpp's own recommended-models list.
 */
export const LOCAL_DEFAULT_MODEL = "hf:unsloth/Qwen3.5-0.8B-GGUF:Q4_K_M";

export interface DownloadProgress {
  uri: string;
  downloadedBytes: number;
  totalBytes: number;
}

export interface ModelSourceOptions {
  /** Where `hf:` downloads go: `<dataDir>/models`. */
  modelsDir: string;
  /** Hugging Face endpoint (default `HF_ENDPOINT`, else `https://huggingface.co/`). */
  huggingFaceEndpoint?: string;
  /** Never download; fail with instructions when the file is not there yet. */
  offline?: boolean;
  /** How long the reachability check may take before the download counts as offline. Default 8000 ms. */
  connectTimeoutMs?: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

type NodeLlamaCpp = typeof import("node-llama-cpp");

function offlineHint(spec: string, modelsDir: string): string {
  return (
    `To run without network, download a .gguf file yourself and either set CODETETHER_LOCAL_MODEL=/path/to/model.gguf ` +
    `or use the model "local//absolute/path/to/model.gguf". Models fetched earlier from "${spec}" are looked up in ${modelsDir}.`
  );
}

function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Whether the endpoint answers at all (any HTTP status counts); false on DNS/connection failure or timeout. */
async function reachable(
  endpoint: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(endpoint, {
      method: "HEAD",
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    await res.body?.cancel();
    return undefined;
  } catch (err) {
    if (signal?.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return timeout.aborted
      ? `no answer within ${timeoutMs} ms`
      : (cause?.code ?? cause?.message ?? String(err));
  }
}

/**
 * Resolves a local model spec to a GGUF file path: a file path (absolute, relative or `~/`) is checked;
 * an `hf:` URI is looked up in `modelsDir` and downloaded there on first use with progress reports.
 * Offline, it fails within `connectTimeoutMs` with a message that says where to put a file instead.
 */
export async function resolveLocalModelFile(
  spec: string,
  options: ModelSourceOptions,
  loadSdk: () => Promise<NodeLlamaCpp>,
): Promise<string> {
  if (!spec.startsWith("hf:") && !/^https?:\/\//.test(spec)) {
    const file = path.resolve(expandHome(spec));
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      throw new ProviderError(
        `local: model file not found: ${file}. Point the model at an existing .gguf file (e.g. "local//models/qwen.gguf" ` +
          `or CODETETHER_LOCAL_MODEL), or use an "hf:<owner>/<repo>/<file>.gguf" URI to download one.`,
        { provider: "local", kind: "not_found" },
      );
    }
    return file;
  }
  const sdk = await loadSdk();
  const endpoint = options.huggingFaceEndpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co/";
  const base = { directory: options.modelsDir, cli: false, endpoints: { huggingFace: endpoint } } as const;
  // A file downloaded earlier resolves without any network access.
  const existing = await sdk.resolveModelFile(spec, { ...base, download: false }).catch(() => undefined);
  if (existing) return existing;
  if (options.offline) {
    throw new ProviderError(
      `local: model "${spec}" is not downloaded and downloads are disabled (offline). ${offlineHint(spec, options.modelsDir)}`,
      {
        provider: "local",
        kind: "not_found",
      },
    );
  }
  const problem = await reachable(endpoint, options.connectTimeoutMs ?? 8000, options.signal);
  if (problem) {
    throw new ProviderError(
      `local: cannot download model "${spec}": ${endpoint} is unreachable (${problem}). ${offlineHint(spec, options.modelsDir)}`,
      // Not retryable: the reachability check already waited; retrying would only repeat the wait.
      { provider: "local", kind: "not_found" },
    );
  }
  try {
    return await sdk.resolveModelFile(spec, {
      ...base,
      download: "auto",
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: ({ downloadedSize, totalSize }) =>
        options.onProgress?.({ uri: spec, downloadedBytes: downloadedSize, totalBytes: totalSize }),
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new ProviderError(
      `local: downloading model "${spec}" failed (${err instanceof Error ? err.message : String(err)}). ${offlineHint(spec, options.modelsDir)}`,
      { provider: "local", kind: "not_found", cause: err },
    );
  }
}
