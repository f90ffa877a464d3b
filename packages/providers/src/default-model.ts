import type { Config, ProviderRegistry } from "@codetether/core";
import { DEFAULT_PROTOCOLS } from "./native-protocols.js";
import { vendorPreset } from "./vendors.js";

/** Which configured provider is chosen first when no `default_model` is set. */
export const PROVIDER_PREFERENCE = [
  "moonshotai",
  "zai",
  "openai",
  "anthropic",
  "github-copilot",
  "openrouter",
  "google",
  "deepseek",
  "stepfun",
  "mistral",
  "groq",
  "together",
  "fireworks",
  "cerebras",
  "bedrock",
];

/** The default model id of one registered provider, if it has one. */
export function providerDefaultModel(
  registry: ProviderRegistry,
  id: string,
  config?: Pick<Config, "providers">,
): string | undefined {
  const configured = config?.providers[id]?.default_model;
  if (configured) return configured;
  // The local provider resolves "default" to CODETETHER_LOCAL_MODEL or its built-in GGUF; a stable id reads
  // better in sessions and status lines than a path or hf: URI.
  if (id === "local" && registry.has("local")) return "default";
  const provider = registry.get(id) as { defaultModel?: unknown } | undefined;
  if (typeof provider?.defaultModel === "string" && provider.defaultModel) return provider.defaultModel;
  const fromConfigModels = Object.keys(config?.providers[id]?.models ?? {})[0];
  return (
    vendorPreset(id)?.defaultModel ??
    DEFAULT_PROTOCOLS[id as keyof typeof DEFAULT_PROTOCOLS]?.defaultModel ??
    fromConfigModels
  );
}

/**
 * The `provider/model` to use: `default_model` from config, else the preferred configured provider's default
 * (by {@link PROVIDER_PREFERENCE}, then custom providers, then `local`), else undefined when nothing is configured.
 */
export function defaultModelFor(
  registry: ProviderRegistry,
  config: Pick<Config, "providers"> & Partial<Pick<Config, "default_model">>,
): string | undefined {
  if (config.default_model) return config.default_model;
  const ids = registry.ids();
  const ordered = [
    ...PROVIDER_PREFERENCE.filter((id) => ids.includes(id)),
    ...ids.filter((id) => !PROVIDER_PREFERENCE.includes(id) && id !== "local"),
    ...(ids.includes("local") ? ["local"] : []),
  ];
  for (const id of ordered) {
    const model = providerDefaultModel(registry, id, config);
    if (model) return `${id}/${model}`;
  }
  return undefined;
}
