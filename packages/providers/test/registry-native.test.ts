import { ConfigSchema, collectStream, textMessage } from "@codetether/core";
import { startFakeAnthropicServer, startFakeGeminiServer } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { createProviderRegistry } from "../src/create-registry.js";
import { defaultModelFor } from "../src/default-model.js";

describe("createProviderRegistry with native protocols", () => {
  it("registers anthropic and google from env and a custom id with api = anthropic from config", async () => {
    const anthropic = await startFakeAnthropicServer({
      apiKey: "sk-ant-x",
      replies: [{ text: "claude here" }, { text: "proxy here" }],
    });
    const gemini = await startFakeGeminiServer({ apiKey: "AIza-x", replies: [{ text: "gemini here" }] });
    try {
      const config = ConfigSchema.parse({
        providers: {
          anthropic: { base_url: anthropic.url },
          google: { base_url: gemini.url },
          "claude-proxy": {
            api: "anthropic",
            base_url: anthropic.url,
            api_key: "sk-ant-x",
            default_model: "claude-opus-4-20250514",
          },
        },
      });
      const registry = await createProviderRegistry({
        config,
        env: { ANTHROPIC_API_KEY: "sk-ant-x", GEMINI_API_KEY: "AIza-x" },
      });
      expect(registry.ids().filter((id) => id !== "local")).toEqual(["anthropic", "claude-proxy", "google"]);
      expect(defaultModelFor(registry, config)).toBe("anthropic/claude-sonnet-4-20250514");

      const a = registry.resolve("anthropic/claude-sonnet-4-20250514");
      const ra = await collectStream(
        a.provider.stream({ model: a.model, messages: [textMessage("user", "hi")], maxTokens: 100 }),
      );
      expect(ra.message.content).toEqual([{ type: "text", text: "claude here" }]);
      const g = registry.resolve("google/gemini-2.5-pro");
      const rg = await collectStream(
        g.provider.stream({ model: g.model, messages: [textMessage("user", "hi")] }),
      );
      expect(rg.message.content).toEqual([{ type: "text", text: "gemini here" }]);
      const p = registry.resolve("claude-proxy/claude-opus-4-20250514");
      const rp = await collectStream(
        p.provider.stream({ model: p.model, messages: [textMessage("user", "hi")], maxTokens: 100 }),
      );
      expect(rp.message.content).toEqual([{ type: "text", text: "proxy here" }]);
      expect(defaultModelFor(registry, { providers: {} })).toBe("anthropic/claude-sonnet-4-20250514");
    } finally {
      await anthropic.close();
      await gemini.close();
    }
  });

  it("warns when a configured provider needs a protocol this build lacks", async () => {
    const warnings: string[] = [];
    const registry = await createProviderRegistry({
      config: ConfigSchema.parse({ providers: { aws: { api: "bedrock", region: "us-east-1" } } }),
      env: {},
      protocols: { bedrock: undefined },
      onWarning: (m) => warnings.push(m),
    });
    expect(registry.has("aws")).toBe(false);
    expect(warnings.join("\n")).toContain(
      'Provider "aws" uses api = "bedrock", which this build does not include.',
    );
  });
});
