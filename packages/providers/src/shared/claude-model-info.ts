import type { ModelInfo } from "@codetether/core";

/**
 * ModelInfo of a Claude model, whichever vendor serves it (Anthropic directly, or Bedrock): 200k context, tools,
 * vision and extended thinking; cache reads cost 0.1× and cache writes 1.25× the input price (USD per million tokens).
 */
export function claudeModelInfo(
  provider: string,
  id: string,
  name: string,
  maxOutputTokens: number,
  input: number,
  output: number,
): ModelInfo {
  return {
    id,
    provider,
    name,
    contextWindow: 200_000,
    maxOutputTokens,
    supportsTools: true,
    supportsVision: true,
    supportsReasoning: true,
    pricing: { input, output, cacheRead: input * 0.1, cacheWrite: input * 1.25 },
  };
}
