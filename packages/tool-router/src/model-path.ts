import { type DownloadProgress, isRemoteModelSpec, resolveGgufModelFile } from "@codetether/core";

/** `hf:<user>/<repo>/<file>.gguf` or `hf:<user>/<repo>:<quant>`, as node-llama-cpp understands them. */
export function isHfUri(value: string): boolean {
  return isRemoteModelSpec(value);
}

export interface ResolveModelPathOptions {
  modelsDir: string;
  /** Hugging Face endpoint (default `HF_ENDPOINT`, else `https://huggingface.co/`). */
  huggingFaceEndpoint?: string;
  connectTimeoutMs?: number;
  offline?: boolean;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

const HINT =
  "Download a FunctionGemma .gguf on a machine with network access (or run `codetether models --pull --router` " +
  "there), copy it here and set CODETETHER_TOOL_ROUTER_MODEL_PATH (or tool_router.model_path) to its path.";

/**
 * The router's model file: a local path as is (after checking it exists); an `hf:` URI through the same code as
 * the local provider's default model (core's `resolveGgufModelFile`): a file downloaded before is used without
 * the network, otherwise it is downloaded with progress; offline that fails at once saying what to do.
 */
export async function resolveModelPath(value: string, options: ResolveModelPathOptions): Promise<string> {
  return resolveGgufModelFile(
    value,
    { ...options, label: "tool router", hint: HINT },
    () => import("node-llama-cpp"),
  );
}
