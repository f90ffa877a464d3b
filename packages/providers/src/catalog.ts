import type { Config, ModelInfo } from "@codetether/core";

type Limits = [contextWindow: number, maxOutput: number, input: number, output: number, cacheRead?: number];
interface Flags {
  vision?: boolean;
  reasoning?: boolean;
  tools?: boolean;
  name?: string;
}

function entry(provider: string, id: string, limits: Limits, flags: Flags = {}): ModelInfo {
  const [contextWindow, maxOutputTokens, input, output, cacheRead] = limits;
  return {
    id,
    provider,
    ...(flags.name ? { name: flags.name } : {}),
    contextWindow,
    maxOutputTokens,
    supportsTools: flags.tools ?? true,
    supportsVision: flags.vision ?? false,
    supportsReasoning: flags.reasoning ?? false,
    pricing: { input, output, ...(cacheRead !== undefined ? { cacheRead } : {}) },
  };
}

const V = { vision: true };
const R = { reasoning: true };
const VR = { vision: true, reasoning: true };

/**
 * Built-in model catalog: limits and list prices (USD per million tokens) of each vendor's main models.
 * Prices change; `[providers.<id>.models.<model>]` in config.toml overrides any entry.
 */
export const MODEL_CATALOG: readonly ModelInfo[] = [
  entry("openai", "gpt-4o", [128_000, 16_384, 2.5, 10, 1.25], V),
  entry("openai", "gpt-4o-mini", [128_000, 16_384, 0.15, 0.6, 0.075], V),
  entry("openai", "gpt-4.1", [1_047_576, 32_768, 2, 8, 0.5], V),
  entry("openai", "gpt-4.1-mini", [1_047_576, 32_768, 0.4, 1.6, 0.1], V),
  entry("openai", "gpt-5", [400_000, 128_000, 1.25, 10, 0.125], VR),
  entry("openai", "gpt-5-mini", [400_000, 128_000, 0.25, 2, 0.025], VR),
  entry("openai", "o3", [200_000, 100_000, 2, 8, 0.5], VR),
  entry("openai", "o4-mini", [200_000, 100_000, 1.1, 4.4, 0.275], VR),
  entry("moonshotai", "kimi-k2.5", [262_144, 32_768, 0.6, 3, 0.1], VR),
  entry("moonshotai", "kimi-k2-thinking", [262_144, 32_768, 0.6, 2.5, 0.15], R),
  entry("moonshotai", "kimi-k2-0905-preview", [262_144, 16_384, 0.6, 2.5, 0.15]),
  entry("moonshotai", "kimi-k2-turbo-preview", [262_144, 16_384, 1.15, 8, 0.15]),
  entry("openrouter", "stepfun/step-3.5-flash:free", [256_000, 32_768, 0, 0], R),
  entry("openrouter", "z-ai/glm-5", [200_000, 32_768, 1, 3.2], R),
  entry("openrouter", "anthropic/claude-sonnet-4", [200_000, 64_000, 3, 15, 0.3], VR),
  entry("openrouter", "openai/gpt-4o", [128_000, 16_384, 2.5, 10, 1.25], V),
  entry("openrouter", "moonshotai/kimi-k2.5", [262_144, 32_768, 0.6, 3], VR),
  entry("openrouter", "qwen/qwen3-coder", [262_144, 65_536, 0.3, 1.2]),
  entry("stepfun", "step-3.5-flash", [256_000, 32_768, 0.1, 0.4], R),
  entry("stepfun", "step-3", [65_536, 16_384, 0.21, 0.57], VR),
  entry("deepseek", "deepseek-chat", [128_000, 8_192, 0.28, 0.42, 0.028]),
  entry("deepseek", "deepseek-reasoner", [128_000, 65_536, 0.28, 0.42, 0.028], R),
  entry("groq", "llama-3.3-70b-versatile", [131_072, 32_768, 0.59, 0.79]),
  entry("groq", "openai/gpt-oss-120b", [131_072, 65_536, 0.15, 0.75], R),
  entry("groq", "moonshotai/kimi-k2-instruct-0905", [262_144, 16_384, 1, 3]),
  entry("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", [131_072, 8_192, 0.88, 0.88]),
  entry("together", "Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8", [262_144, 65_536, 2, 2]),
  entry("together", "moonshotai/Kimi-K2-Instruct-0905", [262_144, 16_384, 1, 3]),
  entry("fireworks", "accounts/fireworks/models/llama-v3p3-70b-instruct", [131_072, 16_384, 0.9, 0.9]),
  entry("fireworks", "accounts/fireworks/models/kimi-k2-instruct-0905", [262_144, 16_384, 0.6, 2.5]),
  entry(
    "fireworks",
    "accounts/fireworks/models/qwen3-coder-480b-a35b-instruct",
    [262_144, 65_536, 0.45, 1.8],
  ),
  entry("mistral", "mistral-large-latest", [131_072, 8_192, 2, 6]),
  entry("mistral", "mistral-medium-latest", [131_072, 8_192, 0.4, 2], V),
  entry("mistral", "codestral-latest", [256_000, 8_192, 0.3, 0.9]),
  entry("mistral", "devstral-medium-latest", [131_072, 8_192, 0.4, 2]),
  entry("cerebras", "qwen-3-coder-480b", [131_072, 40_000, 2, 2]),
  entry("cerebras", "gpt-oss-120b", [131_072, 40_000, 0.35, 0.75], R),
  entry("cerebras", "llama-3.3-70b", [65_536, 8_192, 0.85, 1.2]),
  entry("zai", "glm-5", [200_000, 131_072, 1, 3.2, 0.2], R),
  entry("zai", "glm-4.6", [200_000, 131_072, 0.6, 2.2, 0.11], R),
  entry("zai", "glm-4.5-air", [131_072, 98_304, 0.2, 1.1, 0.03], R),
  entry("github-copilot", "gpt-5-mini", [128_000, 64_000, 0, 0], VR),
  entry("github-copilot", "gpt-4.1", [128_000, 16_384, 0, 0], V),
  entry("github-copilot", "claude-sonnet-4", [128_000, 16_000, 0, 0], V),
  entry("github-copilot", "claude-opus-4", [128_000, 16_000, 0, 0], V),
  entry("anthropic", "claude-sonnet-4-20250514", [200_000, 64_000, 3, 15, 0.3], VR),
  entry("anthropic", "claude-opus-4-20250514", [200_000, 32_000, 15, 75, 1.5], VR),
  entry("anthropic", "claude-3-7-sonnet-20250219", [200_000, 64_000, 3, 15, 0.3], VR),
  entry("anthropic", "claude-3-5-haiku-20241022", [200_000, 8_192, 0.8, 4, 0.08], V),
  entry("google", "gemini-2.5-pro", [1_048_576, 65_536, 1.25, 10, 0.31], VR),
  entry("google", "gemini-2.5-flash", [1_048_576, 65_536, 0.3, 2.5, 0.075], VR),
  entry("google", "gemini-2.0-flash", [1_048_576, 8_192, 0.1, 0.4, 0.025], V),
  entry("bedrock", "claude-sonnet-4", [200_000, 64_000, 3, 15, 0.3], VR),
  entry("bedrock", "claude-3-7-sonnet", [200_000, 64_000, 3, 15, 0.3], VR),
  entry("bedrock", "amazon.nova-pro-v1:0", [300_000, 5_120, 0.8, 3.2], V),
  entry("bedrock", "meta.llama3-3-70b-instruct-v1:0", [128_000, 8_192, 0.72, 0.72]),
  entry("local", "default", [8_192, 2_048, 0, 0], { name: "Embedded local GGUF model" }),
];

type ModelOverrides = NonNullable<Config["providers"][string]["models"]>;

/** Applies a `[providers.<id>.models.<model>]` table to a catalog entry, or builds an entry from it. */
export function withOverrides(
  provider: string,
  model: string,
  base: ModelInfo | undefined,
  override: ModelOverrides[string] | undefined,
): ModelInfo | undefined {
  if (!override) return base;
  const pricing =
    override.input_price !== undefined || override.output_price !== undefined || base?.pricing
      ? {
          ...base?.pricing,
          input: override.input_price ?? base?.pricing?.input ?? 0,
          output: override.output_price ?? base?.pricing?.output ?? 0,
        }
      : undefined;
  const maxOutputTokens = override.max_output_tokens ?? base?.maxOutputTokens;
  return {
    id: model,
    provider,
    ...(base?.name ? { name: base.name } : {}),
    contextWindow: override.context_window ?? base?.contextWindow ?? 128_000,
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    supportsTools: override.supports_tools ?? base?.supportsTools ?? true,
    supportsVision: override.supports_vision ?? base?.supportsVision ?? false,
    supportsReasoning: base?.supportsReasoning ?? false,
    ...(pricing ? { pricing } : {}),
  };
}

/**
 * Model info for `provider/model`: the built-in entry with config overrides applied, an entry built from
 * the config alone, or undefined when neither knows the model.
 */
export function lookupModel(
  provider: string,
  model: string,
  config?: Pick<Config, "providers">,
): ModelInfo | undefined {
  const base = MODEL_CATALOG.find((m) => m.provider === provider && m.id === model);
  const override = config?.providers[provider]?.models?.[model];
  const found = withOverrides(provider, model, base, override);
  return found ? structuredClone(found) : undefined;
}

/** Every model known for a provider: built-in entries (with overrides) plus config-only models. */
export function catalogModels(provider: string, config?: Pick<Config, "providers">): ModelInfo[] {
  const ids = new Set(MODEL_CATALOG.filter((m) => m.provider === provider).map((m) => m.id));
  for (const id of Object.keys(config?.providers[provider]?.models ?? {})) ids.add(id);
  return [...ids].flatMap((id) => lookupModel(provider, id, config) ?? []);
}
