import type { ModelInfo } from "@codetether/core";

/** Default model of the `google` provider. */
export const GOOGLE_DEFAULT_MODEL = "gemini-2.5-pro";

const model = (id: string, name: string, input: number, output: number): ModelInfo => ({
  id,
  provider: "google",
  name,
  contextWindow: 1_048_576,
  maxOutputTokens: 65_536,
  supportsTools: true,
  supportsVision: true,
  supportsReasoning: true,
  pricing: { input, output, cacheRead: input / 4 },
});

/** Gemini models known without asking the API (prices in USD per million tokens, ≤200k-token prompts). */
export const GOOGLE_MODELS: ModelInfo[] = [
  model("gemini-2.5-pro", "Gemini 2.5 Pro", 1.25, 10),
  model("gemini-2.5-flash", "Gemini 2.5 Flash", 0.3, 2.5),
  model("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", 0.1, 0.4),
];
