import { COPILOT_ENV_KEYS } from "./create-registry.js";
import { DEFAULT_PROTOCOLS, type NativeProtocolName } from "./native-protocols.js";
import { VENDOR_PRESETS, vendorPreset } from "./vendors.js";

/** For a built-in provider that is not configured: which variable (or config key) gives it a key. */
export function providerKeyHint(id: string): string | undefined {
  if (id === "github-copilot") return `Set ${COPILOT_ENV_KEYS[0]} or sign in with: codetether auth copilot`;
  const envKeys =
    vendorPreset(id)?.envKeys ??
    (Object.hasOwn(DEFAULT_PROTOCOLS, id) ? DEFAULT_PROTOCOLS[id as NativeProtocolName]?.envKeys : undefined);
  return envKeys?.length
    ? `Provider "${id}" has no key: set ${envKeys.join(" or ")}, or providers.${id}.api_key in config.toml.`
    : undefined;
}

/**
 * One message explaining how to configure a provider, for when none is: the environment variables,
 * a config.toml snippet and a custom OpenAI-compatible endpoint.
 */
export function noProviderConfiguredMessage(configFile = "~/.config/codetether/config.toml"): string {
  const rows = [
    ...Object.values(VENDOR_PRESETS).map((p) => [
      p.envKeys[0] as string,
      p.name,
      `${p.id}/${p.defaultModel}`,
    ]),
    ["ANTHROPIC_API_KEY", "Anthropic", "anthropic/claude-sonnet-4-20250514"],
    ["GEMINI_API_KEY", "Google Gemini", "google/gemini-2.5-pro"],
    [
      COPILOT_ENV_KEYS[0] as string,
      "GitHub Copilot (or `codetether auth copilot`)",
      "github-copilot/gpt-5-mini",
    ],
  ];
  const width = Math.max(...rows.map((r) => (r[0] as string).length));
  const table = rows
    .map(([env, name, model]) => `  ${(env as string).padEnd(width)}  ${name} (default ${model})`)
    .join("\n");
  return [
    "No model provider is configured.",
    "",
    "Set one API key in the environment, for example:",
    "  export MOONSHOT_API_KEY=sk-...",
    "",
    "Supported variables:",
    table,
    "",
    `Or add a provider to ${configFile}:`,
    "",
    '  default_model = "openai/gpt-4o"',
    "",
    "  [providers.openai]",
    '  api_key = "sk-..."',
    "",
    "Any OpenAI-compatible server (vLLM, Ollama, LM Studio...) works with a base_url:",
    "",
    "  [providers.myserver]",
    '  base_url = "http://127.0.0.1:8000/v1"',
    '  default_model = "qwen2.5-coder"',
    "",
    "Then run with --model <provider>/<model>, e.g. --model myserver/qwen2.5-coder.",
    "",
    "Without any key, the embedded local model runs on this machine: --model local/default",
    "(set CODETETHER_LOCAL_MODEL to a GGUF file path or hf: URI to choose the model).",
  ].join("\n");
}
