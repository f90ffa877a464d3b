import { collectStream, textMessage, warmProvider } from "@codetether/core";
import { startScriptedOpenAI } from "@codetether/testing";
import { expect, it, vi } from "vitest";
import { recordSdkImports } from "./vendor-helpers.js";

const SDKS = ["openai", "@anthropic-ai/sdk", "@google/genai", "@aws-sdk/client-bedrock-runtime"];

it("warm() loads each resolved provider's own SDK, sends nothing, and the first request still works", async () => {
  const loaded = recordSdkImports(SDKS);
  const { createProviderRegistry } = await import("../src/create-registry.js");
  const server = await startScriptedOpenAI([{ text: "hi" }]);
  try {
    const registry = await createProviderRegistry({
      config: { providers: { openai: { base_url: server.url } } },
      env: { OPENAI_API_KEY: "o", ANTHROPIC_API_KEY: "a", GEMINI_API_KEY: "g", AWS_ACCESS_KEY_ID: "AKIA" },
    });
    const ids = ["openai", "anthropic", "google", "bedrock"];
    for (const [i, id] of ids.entries()) {
      const provider = registry.get(id);
      expect(provider?.warm, id).toBeTypeOf("function");
      await provider?.warm?.();
      expect(loaded, id).toEqual(SDKS.slice(0, i + 1));
    }
    expect(server.requests).toHaveLength(0);
    const { provider, model } = registry.resolve("openai/gpt-4o");
    const answer = await collectStream(provider.stream({ model, messages: [textMessage("user", "x")] }));
    expect(answer.message.content).toEqual([{ type: "text", text: "hi" }]);
    expect(server.requests).toHaveLength(1);
  } finally {
    await server.close();
    for (const sdk of SDKS) vi.doUnmock(sdk);
  }
});

it("a failing warm-up is left for the first request to report: warmProvider never throws or rejects", async () => {
  const rejected = vi.fn();
  process.on("unhandledRejection", rejected);
  try {
    const base = { id: "x", listModels: async () => [], stream: async function* () {} };
    warmProvider({ ...base, warm: () => Promise.reject(new Error("no SDK")) });
    warmProvider({
      ...base,
      warm: () => {
        throw new Error("sync");
      },
    });
    warmProvider(base);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rejected).not.toHaveBeenCalled();
  } finally {
    process.off("unhandledRejection", rejected);
  }
});
