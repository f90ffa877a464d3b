import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * Finding a GGUF model file for node-llama-cpp, shared by the local provider and the tool router (which must
 * not import each other): a path is checked, an `hf:` URI is looked up in `modelsDir` and downloaded there on
 * first use with progress; offline it fails fast saying where to put a file instead. node-llama-cpp itself is
 * passed in by the caller, so core never loads it.
 */

export interface DownloadProgress {
  uri: string;
  downloadedBytes: number;
  totalBytes: number;
}

/** The part of node-llama-cpp this needs (`resolveModelFile`). */
export interface ModelFileResolver {
  resolveModelFile(
    uri: string,
    options: {
      directory: string;
      cli: boolean;
      download: false | "auto";
      endpoints?: { huggingFace?: string };
      signal?: AbortSignal;
      onProgress?: (status: { downloadedSize: number; totalSize: number }) => void;
    },
  ): Promise<string>;
}

export interface GgufModelFileOptions {
  /** Where `hf:` downloads go (e.g. `<dataDir>/models`). */
  modelsDir: string;
  /** Hugging Face endpoint (default `HF_ENDPOINT`, else `https://huggingface.co/`). */
  huggingFaceEndpoint?: string;
  /** Never download; fail with instructions when the file is not there yet. */
  offline?: boolean;
  /** How long the reachability check may take before the download counts as offline. Default 8000 ms. */
  connectTimeoutMs?: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Who is asking, first in every message (e.g. "local", "tool router"). */
  label: string;
  /** What to do instead when the file cannot be had, appended to every message. */
  hint: string;
}

/** Why a model file could not be found or fetched; `message` says what to do instead. */
export class ModelFileError extends Error {
  override name = "ModelFileError";
}

function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
}

export function isRemoteModelSpec(spec: string): boolean {
  return spec.startsWith("hf:") || /^https?:\/\//.test(spec);
}

/** Whether the endpoint answers at all (any HTTP status counts); the reason when it does not. */
async function unreachable(
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
 * Resolves a model spec to a GGUF file path: a file path (absolute, relative or `~/`) is checked; an `hf:` URI
 * is looked up in `modelsDir` and downloaded there on first use. Throws {@link ModelFileError}.
 */
export async function resolveGgufModelFile(
  spec: string,
  options: GgufModelFileOptions,
  loadResolver: () => Promise<ModelFileResolver>,
): Promise<string> {
  const { label, hint } = options;
  if (!isRemoteModelSpec(spec)) {
    const file = path.resolve(expandHome(spec));
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new ModelFileError(`${label}: model file not found: ${file}. ${hint}`);
    return file;
  }
  const sdk = await loadResolver();
  const endpoint = options.huggingFaceEndpoint ?? process.env.HF_ENDPOINT ?? "https://huggingface.co/";
  const base = { directory: options.modelsDir, cli: false, endpoints: { huggingFace: endpoint } } as const;
  // A file downloaded earlier resolves without any network access.
  const existing = await sdk.resolveModelFile(spec, { ...base, download: false }).catch(() => undefined);
  if (existing) return existing;
  const where = `Models fetched earlier from "${spec}" are looked up in ${options.modelsDir}.`;
  if (options.offline) {
    throw new ModelFileError(
      `${label}: model "${spec}" is not downloaded and downloads are disabled (offline). ${hint} ${where}`,
    );
  }
  const problem = await unreachable(endpoint, options.connectTimeoutMs ?? 8000, options.signal);
  if (problem) {
    throw new ModelFileError(
      `${label}: cannot download model "${spec}": ${endpoint} is unreachable (${problem}). ${hint} ${where}`,
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
    throw new ModelFileError(
      `${label}: downloading model "${spec}" failed (${err instanceof Error ? err.message : String(err)}). ${hint} ${where}`,
    );
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Renders download progress: a redrawn bar on a TTY, otherwise one line per 10% step. */
export function downloadProgressPrinter(
  write: (text: string) => void,
  tty: boolean,
): (progress: DownloadProgress) => void {
  let lastStep = -1;
  return (p) => {
    const fraction = p.totalBytes > 0 ? Math.min(1, p.downloadedBytes / p.totalBytes) : 0;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      write(
        `\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
          `${mib(p.downloadedBytes)}/${mib(p.totalBytes)} MiB`,
      );
      if (fraction >= 1) write("\n");
      return;
    }
    const step = Math.floor(fraction * 10);
    if (step > lastStep) {
      lastStep = step;
      write(`downloading ${p.uri}: ${step * 10}% (${mib(p.downloadedBytes)}/${mib(p.totalBytes)} MiB)\n`);
    }
  };
}
