// Run from packages/providers after `npx tsup`: node examples/custom-provider.mjs
// Optional: OPENAI_API_KEY=sk-... (or OPENAI_BASE_URL=http://127.0.0.1:8000/v1 for a local server).
import { collectStream, textMessage } from "@codetether/core";
import {
  createProviderRegistry,
  defaultModelFor,
  lookupModel,
  noProviderConfiguredMessage,
} from "@codetether/providers";

// 1. Every provider configured in config/env/secret store (SDKs load only when a provider streams).
const config = { providers: {} };
const registry = await createProviderRegistry({ config, env: process.env });

// 2. A custom provider is a plain object implementing the core Provider interface.
registry.register({
  id: "shout",
  async listModels() {
    return [
      {
        id: "loud",
        provider: "shout",
        contextWindow: 4096,
        supportsTools: false,
        supportsVision: false,
        supportsReasoning: false,
      },
    ];
  },
  async *stream(request) {
    const last = request.messages.at(-1);
    const text = last?.content.map((p) => (p.type === "text" ? p.text : "")).join("") ?? "";
    for (const word of text.toUpperCase().split(/(?<= )/)) yield { type: "text-delta", text: word };
    yield {
      type: "usage",
      usage: {
        promptTokens: text.length,
        completionTokens: text.length,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
    };
    yield { type: "finish", reason: "stop" };
  },
});

const { provider, model } = registry.resolve("shout/loud");
const answer = await collectStream(
  provider.stream({ model, messages: [textMessage("user", "hello from a custom provider")] }),
);
console.log(answer.message.content[0]?.text); // HELLO FROM A CUSTOM PROVIDER

// 3. The OpenAI provider, when OPENAI_API_KEY is set.
console.log("providers:", registry.ids().join(", "));
if (registry.has("openai")) {
  const openai = registry.resolve("openai/gpt-4o-mini");
  const reply = await collectStream(
    openai.provider.stream({ model: openai.model, messages: [textMessage("user", "Say hi")] }),
  );
  console.log(
    "openai:",
    reply.message.content,
    "limits:",
    lookupModel("openai", "gpt-4o-mini")?.contextWindow,
  );
} else {
  console.log(`default model: ${defaultModelFor(registry, config) ?? "(none)"}`);
  console.log(noProviderConfiguredMessage().split("\n")[0]);
}
