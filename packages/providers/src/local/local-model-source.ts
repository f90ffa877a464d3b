import {
  type GgufModelFileOptions,
  ModelFileError,
  type ModelFileResolver,
  ProviderError,
  resolveGgufModelFile,
} from "@codetether/core";

export type { DownloadProgress } from "@codetether/core";

/**
 * The embedded default model: Qwen3.5 0.8B (Q4_K_M), an instruct model with tool calling that runs on a
 * CPU. The URI is taken from node-llama-cpp's own recommended-models list.
 */
export const LOCAL_DEFAULT_MODEL = "hf:unsloth/Qwen3.5-0.8B-GGUF:Q4_K_M";

/** Where and how the local provider gets its model: core's GGUF options, with the local provider's label and hint. */
export type ModelSourceOptions = Omit<GgufModelFileOptions, "label" | "hint">;

const HINT =
  'To run without network, download a .gguf file yourself and either set CODETETHER_LOCAL_MODEL=/path/to/model.gguf or use the model "local//absolute/path/to/model.gguf", or use an "hf:<owner>/<repo>/<file>.gguf" URI to download one.';

/**
 * Resolves a local model spec to a GGUF file path (core's `resolveGgufModelFile`, shared with the tool
 * router), as a `ProviderError` of kind `not_found` that says where to put a file instead.
 */
export async function resolveLocalModelFile(
  spec: string,
  options: ModelSourceOptions,
  loadSdk: () => Promise<ModelFileResolver>,
): Promise<string> {
  try {
    return await resolveGgufModelFile(spec, { ...options, label: "local", hint: HINT }, loadSdk);
  } catch (err) {
    if (!(err instanceof ModelFileError)) throw err;
    // Not retryable: the reachability check already waited; retrying would only repeat the wait.
    throw new ProviderError(err.message, { provider: "local", kind: "not_found", cause: err });
  }
}
