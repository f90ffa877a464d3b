import { ConfigSchema, collectStream, textMessage } from "@codetether/core";
import { startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { createProviderRegistry } from "../src/create-registry.js";
import { defaultModelFor } from "../src/default-model.js";
import { noProviderConfiguredMessage } from "../src/setup-help.js";

const config = (raw: unknown = {}) => ConfigSchema.parse(raw);
/** Providers other than the embedded `local` one, which is always available when its protocol is built in. */
const remote = (registry: { ids(): string[] }) => registry.ids().filter((id) => id !== "local");

describe("createProviderRegistry", () => {
  it("registers nothing without credentials, and explains how to configure a provider", async () => {
    const registry = await createProviderRegistry({
      config: config(),
      env: {},
      protocols: { local: undefined },
    });
    expect(registry.ids()).toEqual([]);
    expect(defaultModelFor(registry, config())).toBeUndefined();
    const help = noProviderConfiguredMessage();
    for (const name of [
      "OPENAI_API_KEY",
      "MOONSHOT_API_KEY",
      "OPENROUTER_API_KEY",
      "ZAI_API_KEY",
      "[providers.openai]",
      "base_url",
      "--model local/default",
    ]) {
      expect(help).toContain(name);
    }
  });

  it("registers vendors from env vars and picks moonshotai/kimi-k2.5 as default", async () => {
    const env = { OPENAI_API_KEY: "sk-o", MOONSHOT_API_KEY: "sk-m", GROQ_API_KEY: "" };
    const registry = await createProviderRegistry({ config: config(), env });
    expect(remote(registry)).toEqual(["moonshotai", "openai"]);
    expect(defaultModelFor(registry, config())).toBe("moonshotai/kimi-k2.5");
    expect(defaultModelFor(registry, config({ default_model: "openai/gpt-4.1" }))).toBe("openai/gpt-4.1");
    const models = await registry.get("moonshotai")?.listModels();
    expect(models?.map((m) => m.id)).toContain("kimi-k2.5");
  });

  it("uses config over secrets over env, with OPENAI_BASE_URL and custom headers, end to end", async () => {
    const server = await startScriptedOpenAI([{ text: "from config" }, { text: "from secret" }], {});
    try {
      const cfg = config({
        providers: {
          openai: { api_key: "sk-config", headers: { "X-Team": "core" } },
          myserver: { base_url: server.url, default_model: "qwen" },
        },
      });
      const secrets = async (id: string) =>
        id === "deepseek" ? { api_key: "sk-secret", base_url: server.url } : undefined;
      const registry = await createProviderRegistry({
        config: cfg,
        env: { OPENAI_API_KEY: "sk-env", OPENAI_BASE_URL: server.url, DEEPSEEK_API_KEY: "sk-env-ds" },
        secrets,
      });
      expect(remote(registry)).toEqual(["deepseek", "myserver", "openai"]);
      const openai = registry.resolve("openai/gpt-4o");
      await collectStream(
        openai.provider.stream({ model: openai.model, messages: [textMessage("user", "x")] }),
      );
      expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-config");
      expect(server.requests[0]?.headers["x-team"]).toBe("core");
      const ds = registry.resolve("deepseek/deepseek-chat");
      await collectStream(ds.provider.stream({ model: ds.model, messages: [textMessage("user", "x")] }));
      expect(server.requests[1]?.headers.authorization).toBe("Bearer sk-secret");
      expect(defaultModelFor(registry, cfg)).toBe("openai/gpt-4o");
    } finally {
      await server.close();
    }
  });

  it("adds OpenRouter attribution headers", async () => {
    const server = await startScriptedOpenAI([{ text: "ok" }]);
    try {
      const registry = await createProviderRegistry({
        config: config({ providers: { openrouter: { base_url: server.url } } }),
        env: { OPENROUTER_API_KEY: "sk-or" },
      });
      const { provider, model } = registry.resolve("openrouter/z-ai/glm-5");
      await collectStream(provider.stream({ model, messages: [textMessage("user", "x")] }));
      expect(server.requests[0]?.body).toMatchObject({ model: "z-ai/glm-5" });
      expect(server.requests[0]?.headers["http-referer"]).toBe("https://codetether.run");
      expect(server.requests[0]?.headers["x-title"]).toBe("CodeTether");
    } finally {
      await server.close();
    }
  });

  it("applies [providers.<id>.models.<model>] overrides to the catalog", async () => {
    const cfg = config({
      providers: {
        openai: {
          api_key: "k",
          models: { "gpt-4o": { context_window: 64000 }, "my-ft": { input_price: 1 } },
        },
      },
    });
    const registry = await createProviderRegistry({ config: cfg, env: {} });
    const models = (await registry.get("openai")?.listModels()) ?? [];
    expect(models.find((m) => m.id === "gpt-4o")?.contextWindow).toBe(64000);
    expect(models.find((m) => m.id === "my-ft")).toMatchObject({
      contextWindow: 128000,
      pricing: { input: 1, output: 0 },
    });
  });

  it("warns about failing secret lookups and unknown custom providers without failing", async () => {
    const warnings: string[] = [];
    const registry = await createProviderRegistry({
      config: config({ providers: { mystery: { api_key: "k" } } }),
      env: { GROQ_API_KEY: "g" },
      secrets: async () => {
        throw new Error("vault sealed");
      },
      onWarning: (m) => warnings.push(m),
    });
    expect(remote(registry)).toEqual(["groq"]);
    expect(warnings.some((w) => w.includes("vault sealed"))).toBe(true);
    expect(warnings.some((w) => w.includes("providers.mystery.base_url"))).toBe(true);
  });

  it("registers only providers with credentials and never creates keyless native providers", async () => {
    const registry = await createProviderRegistry({
      config: config(),
      env: { ANTHROPIC_API_KEY: "a", OPENAI_API_KEY: "o", GITHUB_COPILOT_TOKEN: "gho_x" },
      protocols: {
        google: {
          envKeys: ["GEMINI_API_KEY"],
          defaultModel: "gemini-2.5-pro",
          create: () => {
            throw new Error("must not be created without a key");
          },
        },
      },
    });
    expect(remote(registry)).toEqual(["anthropic", "github-copilot", "openai"]);
    expect(defaultModelFor(registry, config())).toBe("openai/gpt-4o");
  });

  it("registers an always-available protocol (the embedded local model) without credentials and prefers it last", async () => {
    const local = {
      envKeys: ["CODETETHER_LOCAL_MODEL"],
      alwaysAvailable: true,
      defaultModel: "tiny.gguf",
      create: (s: { id: string; defaultModel?: string }) => ({
        id: s.id,
        defaultModel: s.defaultModel ?? "tiny.gguf",
        listModels: async () => [],
        stream: async function* () {},
      }),
    };
    const alone = await createProviderRegistry({ config: config(), env: {}, protocols: { local } });
    expect(alone.ids()).toEqual(["local"]);
    expect(defaultModelFor(alone, config())).toBe("local/default");
    const pinned = config({ providers: { local: { default_model: "/models/my.gguf" } } });
    const configured = await createProviderRegistry({ config: pinned, env: {}, protocols: { local } });
    expect(defaultModelFor(configured, pinned)).toBe("local//models/my.gguf");
    const withKey = await createProviderRegistry({
      config: config(),
      env: { STEPFUN_API_KEY: "s" },
      protocols: { local },
    });
    expect(withKey.ids()).toEqual(["local", "stepfun"]);
    expect(defaultModelFor(withKey, config())).toBe("stepfun/step-3.5-flash");
  });

  it("rejects header injection in config or secret headers with the offending key named", async () => {
    const bad = config({
      providers: { openai: { api_key: "k", headers: { "X-A": "ok\r\nX-Injected: 1" } } },
    });
    await expect(createProviderRegistry({ config: bad, env: {} })).rejects.toThrow(
      "providers.openai.headers.X-A in config.toml: header values must be single-line strings",
    );
    const badName = config({ providers: { groq: { api_key: "k", headers: { "X A": "v" } } } });
    await expect(createProviderRegistry({ config: badName, env: {} })).rejects.toThrow(
      /"X A" is not a valid HTTP header name/,
    );
    await expect(
      createProviderRegistry({
        config: config(),
        env: {},
        secrets: async (id) => (id === "deepseek" ? { api_key: "k", headers: { Evil: "a\nb" } } : undefined),
      }),
    ).rejects.toThrow("providers.deepseek.headers.Evil in the secret store");
  });
});
