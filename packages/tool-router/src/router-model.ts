import type { JsonSchema } from "@codetether/core";
import type { PromptSegment } from "./functiongemma-format.js";
import type { ToolRouterDevice } from "./router-config.js";

/** What the router needs from a loaded model: grammar-constrained generation. */
export interface RouterModel {
  /** Generates text for the prompt, constrained to JSON matching `schema`. */
  generate(
    prompt: readonly PromptSegment[],
    schema: JsonSchema,
    options: { maxTokens: number; temperature: number; seed?: number; signal: AbortSignal },
  ): Promise<string>;
  dispose(): Promise<void>;
}

export interface LoadModelOptions {
  modelPath: string;
  arch: string;
  device: ToolRouterDevice;
  /** Parallel generations (sequences in the llama.cpp context). */
  sequences: number;
  /** Context size per sequence, in tokens. */
  contextSize: number;
  /** CPU threads; 0 = node-llama-cpp's default. */
  threads: number;
  /** Directory `hf:` models are resolved into. */
  modelsDir: string;
  log: (line: string) => void;
}

/** Loads a {@link RouterModel}; the default is node-llama-cpp, tests may wrap it to count loads. */
export type RouterModelLoader = (options: LoadModelOptions) => Promise<RouterModel>;
