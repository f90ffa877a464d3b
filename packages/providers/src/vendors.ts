import type { OpenAIRequestQuirks } from "./openai/openai-messages.js";

/** A built-in OpenAI-compatible vendor: where it lives, how its key is found, and its quirks. */
export interface VendorPreset extends OpenAIRequestQuirks {
  id: string;
  /** Human name for help texts. */
  name: string;
  baseURL: string;
  /** Environment variables holding the API key, first match wins. */
  envKeys: string[];
  /** Environment variable overriding the base URL. */
  envBaseURL: string;
  defaultModel: string;
  /** Headers every request carries (e.g. OpenRouter attribution). */
  headers?: Record<string, string>;
  /** Where users get a key. */
  keyUrl: string;
}

const preset = (p: VendorPreset): VendorPreset => p;

/** The OpenAI-compatible vendors codetether knows by id. Any other id with a `base_url` works too. */
export const VENDOR_PRESETS: Readonly<Record<string, VendorPreset>> = {
  openai: preset({
    id: "openai",
    name: "OpenAI",
    baseURL: "https://api.openai.com/v1",
    envKeys: ["OPENAI_API_KEY"],
    envBaseURL: "OPENAI_BASE_URL",
    defaultModel: "gpt-4o",
    maxTokensField: "max_completion_tokens",
    keyUrl: "https://platform.openai.com/api-keys",
  }),
  moonshotai: preset({
    id: "moonshotai",
    name: "Moonshot AI (Kimi)",
    baseURL: "https://api.moonshot.ai/v1",
    envKeys: ["MOONSHOT_API_KEY", "MOONSHOTAI_API_KEY"],
    envBaseURL: "MOONSHOT_BASE_URL",
    defaultModel: "kimi-k2.5",
    // Kimi thinking models stream reasoning_content and require it back on assistant tool-call messages.
    roundTripReasoning: true,
    keyUrl: "https://platform.moonshot.ai/console/api-keys",
  }),
  openrouter: preset({
    id: "openrouter",
    name: "OpenRouter",
    baseURL: "https://openrouter.ai/api/v1",
    envKeys: ["OPENROUTER_API_KEY"],
    envBaseURL: "OPENROUTER_BASE_URL",
    defaultModel: "stepfun/step-3.5-flash:free",
    headers: { "HTTP-Referer": "https://codetether.run", "X-Title": "CodeTether" },
    keyUrl: "https://openrouter.ai/keys",
  }),
  stepfun: preset({
    id: "stepfun",
    name: "StepFun",
    baseURL: "https://api.stepfun.ai/v1",
    envKeys: ["STEPFUN_API_KEY"],
    envBaseURL: "STEPFUN_BASE_URL",
    defaultModel: "step-3.5-flash",
    keyUrl: "https://platform.stepfun.ai",
  }),
  deepseek: preset({
    id: "deepseek",
    name: "DeepSeek",
    baseURL: "https://api.deepseek.com/v1",
    envKeys: ["DEEPSEEK_API_KEY"],
    envBaseURL: "DEEPSEEK_BASE_URL",
    defaultModel: "deepseek-chat",
    // deepseek-reasoner streams reasoning_content but answers 400 when it is sent back.
    roundTripReasoning: false,
    keyUrl: "https://platform.deepseek.com/api_keys",
  }),
  groq: preset({
    id: "groq",
    name: "Groq",
    baseURL: "https://api.groq.com/openai/v1",
    envKeys: ["GROQ_API_KEY"],
    envBaseURL: "GROQ_BASE_URL",
    defaultModel: "llama-3.3-70b-versatile",
    keyUrl: "https://console.groq.com/keys",
  }),
  together: preset({
    id: "together",
    name: "Together AI",
    baseURL: "https://api.together.xyz/v1",
    envKeys: ["TOGETHER_API_KEY"],
    envBaseURL: "TOGETHER_BASE_URL",
    defaultModel: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    keyUrl: "https://api.together.ai/settings/api-keys",
  }),
  fireworks: preset({
    id: "fireworks",
    name: "Fireworks AI",
    baseURL: "https://api.fireworks.ai/inference/v1",
    envKeys: ["FIREWORKS_API_KEY"],
    envBaseURL: "FIREWORKS_BASE_URL",
    defaultModel: "accounts/fireworks/models/llama-v3p3-70b-instruct",
    keyUrl: "https://fireworks.ai/account/api-keys",
  }),
  mistral: preset({
    id: "mistral",
    name: "Mistral AI",
    baseURL: "https://api.mistral.ai/v1",
    envKeys: ["MISTRAL_API_KEY"],
    envBaseURL: "MISTRAL_BASE_URL",
    defaultModel: "mistral-large-latest",
    // Mistral rejects unknown fields such as stream_options and reports usage on the last chunk anyway.
    streamUsage: false,
    toolCallIds: "alnum9",
    keyUrl: "https://console.mistral.ai/api-keys",
  }),
  cerebras: preset({
    id: "cerebras",
    name: "Cerebras",
    baseURL: "https://api.cerebras.ai/v1",
    envKeys: ["CEREBRAS_API_KEY"],
    envBaseURL: "CEREBRAS_BASE_URL",
    defaultModel: "qwen-3-coder-480b",
    keyUrl: "https://cloud.cerebras.ai",
  }),
  zai: preset({
    id: "zai",
    name: "Z.ai (GLM)",
    baseURL: "https://api.z.ai/api/coding/paas/v4",
    envKeys: ["ZAI_API_KEY", "ZHIPUAI_API_KEY"],
    envBaseURL: "ZAI_BASE_URL",
    defaultModel: "glm-5",
    roundTripReasoning: true,
    extraBody: { thinking: { type: "enabled", clear_thinking: false } },
    keyUrl: "https://z.ai/manage-apikey/apikey-list",
  }),
};

/** Alternative ids users type for the same vendor. */
export const VENDOR_ALIASES: Readonly<Record<string, string>> = {
  zhipuai: "zai",
  moonshot: "moonshotai",
  togetherai: "together",
  "fireworks-ai": "fireworks",
};

/** The preset for an id or alias, if it is a built-in vendor. */
export function vendorPreset(id: string): VendorPreset | undefined {
  return VENDOR_PRESETS[VENDOR_ALIASES[id] ?? id];
}
