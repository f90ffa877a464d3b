import type { ModelInfo } from "@codetether/core";
import { claudeModelInfo } from "../shared/claude-model-info.js";

/** Default model of the `bedrock` provider (an alias, resolved per region). */
export const BEDROCK_DEFAULT_MODEL = "claude-sonnet-4";

/** Short names → base model ids. Cross-region inference profiles prefix them with the region group. */
const ALIASES: Record<string, string> = {
  "claude-sonnet-4": "anthropic.claude-sonnet-4-20250514-v1:0",
  "claude-opus-4": "anthropic.claude-opus-4-20250514-v1:0",
  "claude-3-7-sonnet": "anthropic.claude-3-7-sonnet-20250219-v1:0",
  "claude-3-5-haiku": "anthropic.claude-3-5-haiku-20241022-v1:0",
  "nova-pro": "amazon.nova-pro-v1:0",
  "nova-lite": "amazon.nova-lite-v1:0",
  "nova-micro": "amazon.nova-micro-v1:0",
  "llama-3-3-70b": "meta.llama3-3-70b-instruct-v1:0",
};

/** The inference-profile group of a region: `us-east-1` → `us`, `eu-west-3` → `eu`, `ap-south-1` → `apac`. */
export function regionGroup(region: string): string {
  if (region.startsWith("us-gov-")) return "us-gov";
  if (region.startsWith("ap-")) return "apac";
  const group = region.split("-")[0] ?? "us";
  return group === "ca" || group === "sa" ? "us" : group;
}

/**
 * Resolves a model alias to a cross-region inference profile id, e.g. `claude-sonnet-4` in `us-east-1` →
 * `us.anthropic.claude-sonnet-4-20250514-v1:0`. Full model ids, profile ids and ARNs pass through.
 */
export function resolveBedrockModelId(model: string, region: string): string {
  const base = ALIASES[model];
  return base ? `${regionGroup(region)}.${base}` : model;
}

const claude = (id: string, name: string, maxOutputTokens: number, input: number, output: number) =>
  claudeModelInfo("bedrock", id, name, maxOutputTokens, input, output);

/** Bedrock models by alias (prices in USD per million tokens, on-demand us-east-1). */
export const BEDROCK_MODELS: ModelInfo[] = [
  claude("claude-sonnet-4", "Claude Sonnet 4 (Bedrock)", 64_000, 3, 15),
  claude("claude-opus-4", "Claude Opus 4 (Bedrock)", 32_000, 15, 75),
  claude("claude-3-7-sonnet", "Claude Sonnet 3.7 (Bedrock)", 64_000, 3, 15),
  claude("claude-3-5-haiku", "Claude Haiku 3.5 (Bedrock)", 8_192, 0.8, 4),
  {
    id: "nova-pro",
    provider: "bedrock",
    name: "Amazon Nova Pro",
    contextWindow: 300_000,
    maxOutputTokens: 10_000,
    supportsTools: true,
    supportsVision: true,
    supportsReasoning: false,
    pricing: { input: 0.8, output: 3.2 },
  },
];
