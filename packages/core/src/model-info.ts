import { z } from "zod";
import type { Usage } from "./usage.js";
import { lazySchema } from "./util/lazy-schema.js";

/** Prices in US dollars per million tokens. */
export const ModelPricingSchema = lazySchema(() =>
  z.object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cacheRead: z.number().nonnegative().optional(),
    cacheWrite: z.number().nonnegative().optional(),
  }),
);

export const ModelInfoSchema = lazySchema(() =>
  z.object({
    /** Model id as the provider knows it, e.g. `gpt-4o`. */
    id: z.string().min(1),
    /** Provider id, e.g. `openai`. */
    provider: z.string().min(1),
    name: z.string().optional(),
    contextWindow: z.number().int().positive(),
    maxOutputTokens: z.number().int().positive().optional(),
    supportsTools: z.boolean(),
    supportsVision: z.boolean().default(false),
    supportsReasoning: z.boolean().default(false),
    pricing: ModelPricingSchema.optional(),
  }),
);

export type ModelPricing = z.infer<typeof ModelPricingSchema>;
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** Cost of a usage under a price list, in US dollars. */
export function costOf(usage: Usage, pricing: ModelPricing | undefined): number | undefined {
  if (!pricing) return undefined;
  // promptTokens counts every input token (like OpenAI's prompt_tokens); cached reads and cache writes are
  // billed at their own rates, so they are taken out of the base input price.
  const uncachedPrompt = Math.max(0, usage.promptTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
  return (
    (uncachedPrompt * pricing.input +
      usage.completionTokens * pricing.output +
      usage.cacheReadTokens * (pricing.cacheRead ?? pricing.input) +
      usage.cacheWriteTokens * (pricing.cacheWrite ?? pricing.input)) /
    1_000_000
  );
}

/** Splits `provider/model` on the first `/` (model ids may contain more slashes, e.g. openrouter). */
export function parseModelString(value: string): { provider: string; model: string } {
  const slash = value.indexOf("/");
  if (slash <= 0 || slash === value.length - 1) {
    throw new Error(
      `Invalid model "${value}": expected "provider/model", for example "openai/gpt-4o" or "moonshotai/kimi-k2.5".`,
    );
  }
  return { provider: value.slice(0, slash), model: value.slice(slash + 1) };
}
