import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConfigSchema, collectStream, textMessage } from "@codetether/core";
import { startFakeBedrockServer, writeTinyGguf } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { createProviderRegistry } from "../src/create-registry.js";
import type { LocalProvider } from "../src/local/local-provider.js";

describe("createProviderRegistry with bedrock and local", () => {
  it("builds bedrock from the secret store (AWS keys, region, endpoint) and streams through it", async () => {
    const server = await startFakeBedrockServer({
      accessKeyId: "AKIDSECRET",
      replies: [{ text: "from bedrock" }],
    });
    try {
      const registry = await createProviderRegistry({
        config: ConfigSchema.parse({}),
        env: {},
        secrets: async (id) =>
          id === "bedrock"
            ? {
                base_url: server.url,
                aws_access_key_id: "AKIDSECRET",
                aws_secret_access_key: "store-secret",
                region: "eu-central-1",
              }
            : undefined,
      });
      expect(registry.ids()).toEqual(["bedrock"]);
      const { provider, model } = registry.resolve("bedrock/claude-sonnet-4");
      const res = await collectStream(provider.stream({ model, messages: [textMessage("user", "hi")] }));
      expect(res.message.content).toEqual([{ type: "text", text: "from bedrock" }]);
      expect(server.requests[0]!.modelId).toBe("eu.anthropic.claude-sonnet-4-20250514-v1:0");
    } finally {
      await server.close();
    }
  });

  it("registers local when CODETETHER_LOCAL_MODEL is set and answers from that GGUF", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "registry-local-"));
    const file = (await writeTinyGguf(path.join(dir, "tiny.gguf"), { seed: 3 })).file;
    const registry = await createProviderRegistry({
      config: ConfigSchema.parse({}),
      env: { CODETETHER_LOCAL_MODEL: file, CODETETHER_DATA_DIR: dir },
    });
    const { provider, model } = registry.resolve("local/default");
    try {
      expect((provider as LocalProvider).defaultModel).toBe(file);
      const res = await collectStream(
        provider.stream({ model, messages: [textMessage("user", "hi")], maxTokens: 4 }),
      );
      expect(res.usage.completionTokens).toBeGreaterThan(0);
    } finally {
      await (provider as LocalProvider).dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
