/** Counts the tokens of a text for one model. */
export interface TokenCounter {
  /** `exact` when a real tokenizer is used, `estimate` for a calibrated chars-per-token guess. */
  readonly kind: "exact" | "estimate";
  /** Tokenizer or estimate name, e.g. `o200k_base` or `estimate:anthropic`. */
  readonly name: string;
  count(text: string): number;
}

export type ModelFamily = "openai" | "anthropic" | "google" | "llama" | "qwen" | "deepseek" | "other";

/**
 * Characters per token measured on mixed English prose and source code for each family's tokenizer
 * (o200k/cl100k ≈ 4.0, Claude ≈ 3.5, Gemma/Gemini ≈ 4.0, Llama 3 ≈ 3.8, Qwen ≈ 3.7). Estimates are
 * rounded up, so compaction errs early rather than overflowing the window.
 */
export const CHARS_PER_TOKEN: Record<ModelFamily, number> = {
  openai: 4.0,
  anthropic: 3.5,
  google: 4.0,
  llama: 3.8,
  qwen: 3.7,
  deepseek: 3.7,
  other: 3.5,
};

/** The tokenizer family of a model id (`gpt-4o`, `openai/gpt-4o`, `anthropic/claude-sonnet-4`, ...). */
export function modelFamily(model: string): ModelFamily {
  const id = model.toLowerCase();
  if (/(^|\/)(gpt-|o[1-9](-|$)|chatgpt|text-embedding|davinci|codex)/.test(id)) return "openai";
  if (id.includes("claude") || id.startsWith("anthropic/")) return "anthropic";
  if (id.includes("gemini") || id.includes("gemma") || id.startsWith("google/")) return "google";
  if (id.includes("llama")) return "llama";
  if (id.includes("qwen")) return "qwen";
  if (id.includes("deepseek")) return "deepseek";
  return "other";
}

/** A calibrated chars-per-token estimate; cheap and synchronous. */
export function estimateCounter(family: ModelFamily): TokenCounter {
  const ratio = CHARS_PER_TOKEN[family];
  return {
    kind: "estimate",
    name: `estimate:${family}`,
    count: (text) => (text.length === 0 ? 0 : Math.ceil(text.length / ratio)),
  };
}

/** Which tiktoken encoding an OpenAI model uses; undefined for non-OpenAI models. */
export function tiktokenEncodingFor(model: string): "o200k_base" | "cl100k_base" | undefined {
  if (modelFamily(model) !== "openai") return undefined;
  const id = model.toLowerCase().split("/").pop() ?? "";
  if (/^(gpt-3\.5|gpt-4(-|$)|gpt-4-turbo|text-embedding)/.test(id)) return "cl100k_base";
  return "o200k_base";
}

const tiktokenCache = new Map<string, Promise<TokenCounter>>();

/** Loads a js-tiktoken encoding on first use (the rank tables are large, so never at import time). */
async function loadTiktoken(encoding: "o200k_base" | "cl100k_base"): Promise<TokenCounter> {
  const { Tiktoken } = await import("js-tiktoken/lite");
  const ranks =
    encoding === "o200k_base"
      ? (await import("js-tiktoken/ranks/o200k_base")).default
      : (await import("js-tiktoken/ranks/cl100k_base")).default;
  const tokenizer = new Tiktoken(ranks);
  return {
    kind: "exact",
    name: encoding,
    // allowedSpecial "all": user text containing "<|endoftext|>" must be counted, not throw.
    count: (text) => (text.length === 0 ? 0 : tokenizer.encode(text, "all").length),
  };
}

/**
 * The best token counter for a model: js-tiktoken for OpenAI-family models (loaded lazily, once per
 * encoding), a calibrated estimate for everything else or when the tokenizer cannot be loaded.
 */
export async function getTokenCounter(model: string): Promise<TokenCounter> {
  const encoding = tiktokenEncodingFor(model);
  if (!encoding) return estimateCounter(modelFamily(model));
  let pending = tiktokenCache.get(encoding);
  if (!pending) {
    pending = loadTiktoken(encoding).catch(() => estimateCounter("openai"));
    tiktokenCache.set(encoding, pending);
  }
  return pending;
}
