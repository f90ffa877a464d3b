import type { DownloadProgress } from "@codetether/core";
import type { PromptSegment } from "./functiongemma-format.js";
import type { ToolRouterDevice } from "./router-config.js";

export interface GenerateOptions {
  maxTokens: number;
  temperature: number;
  seed?: number;
  signal: AbortSignal;
}

/** What the router needs from a loaded model: token counts and grammar-constrained generation. */
export interface RouterModel {
  /** Most tokens one routing (prompt + output) may use: the trained context, capped by `context_size`. */
  readonly maxContextSize: number;
  /** Tokens of a prompt (special segments as special tokens, text as plain text). */
  countTokens(prompt: readonly PromptSegment[]): number;
  /**
   * Generates text for the prompt constrained by a GBNF `grammar`, in a context sized to the prompt. The text
   * keeps the special tokens it generated (`<escape>`, `<start_function_call>`) so it can be parsed.
   */
  generate(prompt: readonly PromptSegment[], grammar: string, options: GenerateOptions): Promise<string>;
  dispose(): Promise<void>;
}

export interface LoadModelOptions {
  /** A `.gguf` path or an `hf:` URI (downloaded on first use into `modelsDir`). */
  modelPath: string;
  arch: string;
  device: ToolRouterDevice;
  /** Cap of the context per routing; undefined = the model's trained context. */
  contextSize: number | undefined;
  /** CPU threads; 0 = node-llama-cpp's default. */
  threads: number;
  /** Directory `hf:` models are resolved into. */
  modelsDir: string;
  /** Never download (a model not downloaded yet fails with what to do instead). */
  offline?: boolean;
  /** Download progress of an `hf:` model fetched on first use. */
  onDownloadProgress?: (progress: DownloadProgress) => void;
  log: (line: string) => void;
}

/** Loads a {@link RouterModel}; the default is node-llama-cpp, tests may wrap it to count loads. */
export type RouterModelLoader = (options: LoadModelOptions) => Promise<RouterModel>;
