import type { ModelInfo, Provider } from "@codetether/core";
import { createAnthropicProvider } from "./anthropic/anthropic-provider.js";
import { BEDROCK_DEFAULT_MODEL } from "./bedrock/bedrock-models.js";
import { type BedrockCredentials, createBedrockProvider } from "./bedrock/bedrock-provider.js";
import { catalogModels } from "./catalog.js";
import { createGoogleProvider } from "./google/google-provider.js";
import { LOCAL_DEFAULT_MODEL } from "./local/local-model-source.js";
import { createLocalProvider } from "./local/local-provider.js";

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
  bedrock: {
    envKeys: ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE"],
    defaultModel: BEDROCK_DEFAULT_MODEL,
    create: (s) => {
      const credentials = bedrockCredentials(s.secret);
      const region = s.region ?? stringField(s.secret, "region");
      return createBedrockProvider({
        id: s.id,
        env: s.env,
        models: s.models.length ? s.models : catalogModels("bedrock"),
        ...(credentials ? { credentials } : {}),
        ...(region ? { region } : {}),
        ...(s.baseURL ? { endpoint: s.baseURL } : {}),
        ...(s.defaultModel ? { defaultModel: s.defaultModel } : {}),
      });
    },
  },
  local: {
    envKeys: ["CODETETHER_LOCAL_MODEL"],
    // Registered when CODETETHER_LOCAL_MODEL or [providers.local] is set. Making it the embedded default for
    // hosts with no provider at all is `alwaysAvailable: true` (the registry tests expect an empty registry).
    alwaysAvailable: false,
    defaultModel: LOCAL_DEFAULT_MODEL,
    create: (s) =>
      createLocalProvider({
        id: s.id,
        env: s.env,
        ...(s.defaultModel ? { defaultModel: s.defaultModel } : {}),
      }),
  },
};

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === "string" && value ? value : undefined;
}

/** AWS keys from the secret store record (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`). */
function bedrockCredentials(secret: Record<string, unknown> | undefined): BedrockCredentials | undefined {
  const accessKeyId = stringField(secret, "aws_access_key_id");
  const secretAccessKey = stringField(secret, "aws_secret_access_key");
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = stringField(secret, "aws_session_token");
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
