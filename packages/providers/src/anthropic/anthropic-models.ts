import type { ModelInfo } from "@codetether/core";
import { claudeModelInfo } from "../shared/claude-model-info.js";

/** Default model of the `anthropic` provider. */
export const ANTHROPIC_DEFAULT_MODEL = "claude-sonnet-4-20250514";

const model = (id: string, name: string, maxOutputTokens: number, input: number, output: number) =>
  claudeModelInfo("anthropic", id, name, maxOutputTokens, input, output);

/** Anthropic models known without asking the API (prices in USD per million tokens). */
export const ANTHROPIC_MODELS: ModelInfo[] = [
  model("claude-sonnet-4-20250514", "Claude Sonnet 4", 64_000, 3, 15),
  model("claude-opus-4-20250514", "Claude Opus 4", 32_000, 15, 75),
  model("claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", 64_000, 3, 15),
  model("claude-3-5-haiku-20241022", "Claude Haiku 3.5", 8_192, 0.8, 4),
];
