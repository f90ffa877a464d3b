import { describe, expect, it } from "vitest";
import { ANTHROPIC_MODELS } from "../src/anthropic/anthropic-models.js";
import { BEDROCK_MODELS } from "../src/bedrock/bedrock-models.js";

describe("Claude model info", () => {
  it("describes the same Claude model alike on Anthropic and Bedrock, priced with cache multipliers", () => {
    const direct = ANTHROPIC_MODELS.find((m) => m.id === "claude-sonnet-4-20250514");
    const bedrock = BEDROCK_MODELS.find((m) => m.id === "claude-sonnet-4");
    expect(direct).toEqual({
      id: "claude-sonnet-4-20250514",
      provider: "anthropic",
      name: "Claude Sonnet 4",
      contextWindow: 200_000,
      maxOutputTokens: 64_000,
      supportsTools: true,
      supportsVision: true,
      supportsReasoning: true,
      pricing: { input: 3, output: 15, cacheRead: 3 * 0.1, cacheWrite: 3 * 1.25 },
    });
    expect(bedrock).toEqual({
      ...direct,
      id: "claude-sonnet-4",
      provider: "bedrock",
      name: "Claude Sonnet 4 (Bedrock)",
    });
  });
});
