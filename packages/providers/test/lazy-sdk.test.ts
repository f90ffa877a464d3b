import { collectStream, textMessage } from "@codetether/core";
import { startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it, vi } from "vitest";
import { recordSdkImports } from "./vendor-helpers.js";

describe("lazy vendor SDKs", () => {
  it("builds the registry and lists models without importing any SDK; streaming imports only its own", async () => {
    const sdks = [
      "openai",
      "@anthropic-ai/sdk",
      "@google/genai",
      "@aws-sdk/client-bedrock-runtime",
      "node-llama-cpp",
    ];
    const loaded = recordSdkImports(sdks);
    const { createProviderRegistry } = await import("../src/create-registry.js");
    const server = await startScriptedOpenAI([{ text: "hi" }]);
    try {
      const registry = await createProviderRegistry({
        config: { providers: { openai: { base_url: server.url } } },
        env: {
          OPENAI_API_KEY: "o",
          ANTHROPIC_API_KEY: "a",
          GEMINI_API_KEY: "g",
          MOONSHOT_API_KEY: "m",
          AWS_ACCESS_KEY_ID: "AKIA",
        },
      });
      expect(registry.ids().filter((id) => id !== "local" && id !== "bedrock")).toEqual([
        "anthropic",
        "google",
        "moonshotai",
        "openai",
      ]);
      for (const id of registry.ids()) await registry.get(id)?.listModels();
      expect(loaded).toEqual([]);
      const { provider, model } = registry.resolve("openai/gpt-4o");
      await collectStream(provider.stream({ model, messages: [textMessage("user", "x")] }));
      expect(loaded).toEqual(["openai"]);
    } finally {
      await server.close();
      for (const sdk of sdks) vi.doUnmock(sdk);
    }
  });
});

describe("a missing optional vendor SDK", () => {
  it("says which package to install and where, for the CLI and for library users", async () => {
    const { missingSdkError } = await import("../src/shared/vendor-errors.js");
    const notFound = Object.assign(new Error("Cannot find package '@anthropic-ai/sdk'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const err = missingSdkError("@anthropic-ai/sdk", "anthropic", notFound);
    expect(err.message).toContain('needs the optional package "@anthropic-ai/sdk"');
    expect(err.message).toContain("codetether");
    expect(err.message).toContain("npm install @anthropic-ai/sdk");
    // Any other load failure is reported as it is, not as "not installed".
    const broken = missingSdkError("@google/genai", "google", new SyntaxError("Unexpected token"));
    expect(broken.message).toBe('The google provider could not load "@google/genai": Unexpected token');
  });
});
