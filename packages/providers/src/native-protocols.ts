import type { ModelInfo, Provider } from "@codetether/core";
import { createAnthropicProvider } from "./anthropic-provider.js";
import { catalogModels } from "./catalog.js";
import { createGoogleProvider } from "./google-provider.js";

type Env = Record<string, string | undefined>;

/** Everything the registry resolved for one provider id. */
export interface NativeProviderSettings {
  id: string;
  apiKey?: string;
  baseURL?: string;
  headers?: Record<string, string>;
  defaultModel?: string;
  region?: string;
  models: ModelInfo[];
  env: Env;
  /** The raw secret record (extra fields such as AWS credentials). */
  secret?: Record<string, unknown>;
}

/** A non-OpenAI wire protocol (config `api = "anthropic" | "google" | "bedrock"`, and `local`). */
export interface NativeProtocol {
  /** Environment variables any of which configures the provider of the same id. */
  envKeys: string[];
  /** Registered even without credentials (the embedded `local` model). */
  alwaysAvailable?: boolean;
  defaultModel: string;
  create(settings: NativeProviderSettings): Provider;
}

export type NativeProtocolName = "anthropic" | "google" | "bedrock" | "local";

/**
 * Built-in native protocols. The SDK of each loads only when its provider streams. Protocols not listed here
 * can be supplied through `createProviderRegistry({ protocols })`.
 */
export const DEFAULT_PROTOCOLS: Partial<Record<NativeProtocolName, NativeProtocol>> = {
  anthropic: {
    envKeys: ["ANTHROPIC_API_KEY"],
    defaultModel: "claude-sonnet-4-20250514",
    create: (s) =>
      createAnthropicProvider({
        id: s.id,
        env: s.env,
        models: s.models.length ? s.models : catalogModels("anthropic"),
        ...(s.apiKey ? { apiKey: s.apiKey } : {}),
        ...(s.baseURL ? { baseUrl: s.baseURL } : {}),
        ...(s.headers ? { headers: s.headers } : {}),
        ...(s.defaultModel ? { defaultModel: s.defaultModel } : {}),
      }),
  },
  google: {
    envKeys: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    defaultModel: "gemini-2.5-pro",
    create: (s) =>
      createGoogleProvider({
        id: s.id,
        env: s.env,
        models: s.models.length ? s.models : catalogModels("google"),
        ...(s.apiKey ? { apiKey: s.apiKey } : {}),
        ...(s.baseURL ? { baseUrl: s.baseURL } : {}),
        ...(s.headers ? { headers: s.headers } : {}),
        ...(s.defaultModel ? { defaultModel: s.defaultModel } : {}),
      }),
  },
};
