import { checkProviderName, type ProviderSecret, type SecretStore } from "./secret-store.js";

type Env = Record<string, string | undefined>;

/** Conventional variable names of well-known providers, besides `<NAME>_API_KEY`. */
const ALIASES: Record<string, string[]> = {
  google: ["GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENERATIVE_AI_API_KEY"],
  gemini: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  openai: ["OPENAI_API_KEY"],
  openrouter: ["OPENROUTER_API_KEY"],
};

const envName = (provider: string) => provider.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/**
 * Read-only store over environment variables: `<NAME>_API_KEY` (plus well-known aliases such as
 * `GEMINI_API_KEY` for `google`) and `<NAME>_BASE_URL`.
 */
export class EnvSecretStore implements SecretStore {
  readonly kind = "env" as const;
  readonly location = "environment variables";

  constructor(private readonly env: Env = process.env) {}

  async get(provider: string): Promise<ProviderSecret | undefined> {
    checkProviderName(provider);
    const name = envName(provider);
    const keyVars = [`${name}_API_KEY`, ...(ALIASES[provider.toLowerCase()] ?? [])];
    const apiKey = keyVars.map((v) => this.env[v]).find((v) => v !== undefined && v !== "");
    const baseUrl = this.env[`${name}_BASE_URL`] || undefined;
    if (apiKey === undefined && baseUrl === undefined) return undefined;
    return {
      ...(apiKey !== undefined ? { api_key: apiKey } : {}),
      ...(baseUrl ? { base_url: baseUrl } : {}),
    };
  }

  async list(): Promise<string[]> {
    const names = new Set<string>();
    for (const [variable, value] of Object.entries(this.env)) {
      if (!value) continue;
      const match = /^([A-Z0-9_]+)_API_KEY$/.exec(variable);
      if (match && !match[1]!.startsWith("CODETETHER")) names.add(match[1]!.toLowerCase());
    }
    for (const [provider, vars] of Object.entries(ALIASES)) {
      if (vars.some((v) => this.env[v])) names.add(provider);
    }
    return [...names].sort();
  }

  async set(provider: string, _secret?: ProviderSecret): Promise<void> {
    throw new Error(
      `cannot store a secret for "${provider}" in environment variables; configure Vault or use the file store`,
    );
  }

  close(): void {}
}
