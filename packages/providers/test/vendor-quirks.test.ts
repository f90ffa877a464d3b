import { ConfigSchema, collectStream, textMessage } from "@codetether/core";
import { startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { createProviderRegistry } from "../src/create-registry.js";

describe("vendor quirks", () => {
  it("moonshotai streams reasoning_content as thinking and sends it back on assistant messages", async () => {
    const server = await startScriptedOpenAI([
      { reasoning: "I should list files.", toolCalls: [{ id: "call_9", name: "list", arguments: {} }] },
      { text: "done" },
    ]);
    try {
      const registry = await createProviderRegistry({
        config: ConfigSchema.parse({ providers: { moonshotai: { base_url: server.url } } }),
        env: { MOONSHOT_API_KEY: "sk-m" },
      });
      const { provider, model } = registry.resolve("moonshotai/kimi-k2.5");
      const first = await collectStream(provider.stream({ model, messages: [textMessage("user", "ls")] }));
      expect(first.message.content[0]).toEqual({ type: "thinking", text: "I should list files." });
      await collectStream(
        provider.stream({
          model,
          messages: [
            textMessage("user", "ls"),
            first.message,
            {
              role: "tool",
              content: [{ type: "tool_result", tool_call_id: "call_9", content: "a.txt", is_error: false }],
            },
          ],
        }),
      );
      const sent = (server.requests[1]!.body as { messages: Array<Record<string, unknown>> }).messages[1];
      expect(sent).toMatchObject({ role: "assistant", reasoning_content: "I should list files." });
    } finally {
      await server.close();
    }
  });

  it("deepseek streams reasoning but does not send it back; mistral omits stream_options; zai adds thinking", async () => {
    const server = await startScriptedOpenAI([{ reasoning: "r", text: "a" }, { text: "b" }, { text: "c" }]);
    try {
      const registry = await createProviderRegistry({
        config: ConfigSchema.parse({
          providers: {
            deepseek: { base_url: server.url },
            mistral: { base_url: server.url },
            zai: { base_url: server.url },
          },
        }),
        env: { DEEPSEEK_API_KEY: "d", MISTRAL_API_KEY: "m", ZAI_API_KEY: "z" },
      });
      const ds = registry.resolve("deepseek/deepseek-reasoner");
      const first = await collectStream(
        ds.provider.stream({ model: ds.model, messages: [textMessage("user", "q")] }),
      );
      expect(first.message.content[0]).toEqual({ type: "thinking", text: "r" });
      const mi = registry.resolve("mistral/mistral-large-latest");
      await collectStream(
        mi.provider.stream({ model: mi.model, messages: [textMessage("user", "q"), first.message] }),
      );
      const zai = registry.resolve("zai/glm-5");
      await collectStream(
        zai.provider.stream({ model: zai.model, messages: [textMessage("user", "q"), first.message] }),
      );
      const [, mistralBody, zaiBody] = server.requests.map((r) => r.body as Record<string, unknown>) as [
        unknown,
        Record<string, unknown>,
        Record<string, unknown>,
      ];
      expect(mistralBody.stream_options).toBeUndefined();
      expect((mistralBody.messages as Array<Record<string, unknown>>)[1]?.reasoning_content).toBeUndefined();
      expect(zaiBody).toMatchObject({
        thinking: { type: "enabled" },
        stream_options: { include_usage: true },
      });
      expect((zaiBody.messages as Array<Record<string, unknown>>)[1]?.reasoning_content).toBe("r");
    } finally {
      await server.close();
    }
  });
});
