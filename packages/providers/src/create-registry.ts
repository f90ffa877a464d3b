import { type Config, type ModelInfo, type Provider, ProviderRegistry } from "@codetether/core";
import { catalogModels } from "./catalog.js";
import { COPILOT_DEFAULT_MODEL, createCopilotProvider } from "./copilot/github-copilot.js";
import { loadModuleProviders } from "./module-providers.js";
import { DEFAULT_PROTOCOLS, type NativeProtocol, type NativeProtocolName } from "./native-protocols.js";
import { createOpenAICompatibleProvider } from "./openai/openai-compatible.js";
import { VENDOR_PRESETS, vendorPreset } from "./vendors.js";

type Env = Record<string, string | undefined>;

/** A provider's record in the host's secret store (Vault, file store). */
export interface ProviderSecret {
  api_key?: string;
  base_url?: string;
  headers?: Record<string, string>;
  [extra: string]: unknown;
}

/** Looks up a provider's secret; supplied by the host (e.g. backed by `@codetether/security`). */
export type SecretLookup = (providerId: string) => Promise<ProviderSecret | undefined>;

export interface CreateProviderRegistryOptions {
  config: Pick<Config, "providers"> & Partial<Pick<Config, "default_model">>;
  /** Default: `process.env`. */
  env?: Env;
  secrets?: SecretLookup;
  /** Extra or replacement native protocols (google, bedrock, local, ...). */
  protocols?: Partial<Record<NativeProtocolName, NativeProtocol>>;
  /** Told about secret-store failures, which do not stop the registry from being built. */
  onWarning?: (message: string) => void;
  fetch?: typeof fetch;
  /** Where `[providers.<id>] module = "pkg"` packages are resolved from. Default `process.cwd()`. */
  cwd?: string;
  /** Whether a provider module may be loaded (see {@link loadModuleProviders}). Default: all allowed. */
  trustModule?: (id: string) => true | string;
}

const NATIVE_IDS = ["anthropic", "google", "bedrock", "local"];

export const COPILOT_ENV_KEYS = ["GITHUB_COPILOT_TOKEN"];

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Rejects header names/values that would corrupt or split the HTTP request, naming where they came from. */
function checkHeaders(id: string, headers: Record<string, string> | undefined, source: string): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name)) {
      throw new Error(
        `providers.${id}.headers in ${source}: ${JSON.stringify(name)} is not a valid HTTP header name (letters, digits and -_.!#$%&'*+^\`|~ only).`,
      );
    }
    if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
      throw new Error(
        `providers.${id}.headers.${name} in ${source}: header values must be single-line strings (line breaks would split the request).`,
      );
    }
  }
}

const firstEnv = (env: Env, keys: string[]) =>
  keys.map((k) => env[k]).find((v) => v !== undefined && v !== "");

/**
 * Builds a {@link ProviderRegistry} with every provider that has credentials, from config
 * `[providers.<id>]`, the secret store, or environment variables (in that order of precedence).
 * Nothing heavy loads here: each vendor SDK is imported when its provider first streams.
 */
export async function createProviderRegistry(
  options: CreateProviderRegistryOptions,
): Promise<ProviderRegistry> {
  const env = options.env ?? process.env;
  const providersConfig = options.config.providers ?? {};
  const protocols = { ...DEFAULT_PROTOCOLS, ...options.protocols };
  const ids = new Set<string>([
    ...Object.keys(VENDOR_PRESETS),
    "github-copilot",
    ...Object.keys(protocols),
    ...Object.keys(providersConfig),
  ]);
  const secretOf = async (id: string): Promise<ProviderSecret | undefined> => {
    if (!options.secrets) return undefined;
    try {
      return await options.secrets(id);
    } catch (err) {
      options.onWarning?.(
        `Could not read the secret of provider "${id}": ${err instanceof Error ? err.message : String(err)}`,
      );
      return undefined;
    }
  };
  const secrets = new Map(await Promise.all([...ids].map(async (id) => [id, await secretOf(id)] as const)));
  const registry = new ProviderRegistry();

  for (const id of [...ids].sort()) {
    const cfg = providersConfig[id];
    if (cfg?.module) continue; // Third-party provider: loaded below.
    const secret = secrets.get(id);
    const models: ModelInfo[] = catalogModels(vendorPreset(id)?.id ?? id, options.config).map((m) => ({
      ...m,
      provider: id,
    }));
    const headers = { ...secret?.headers, ...cfg?.headers };
    checkHeaders(id, cfg?.headers, "config.toml");
    checkHeaders(id, secret?.headers, "the secret store");
    const hasHeaders = Object.keys(headers).length > 0;
    const protocolName = (cfg?.api ?? (NATIVE_IDS.includes(id) || id in protocols ? id : undefined)) as
      | NativeProtocolName
      | "openai"
      | undefined;
    const protocol = protocolName && protocolName !== "openai" ? protocols[protocolName] : undefined;

    if (protocolName && protocolName !== "openai") {
      if (!protocol) {
        if (cfg)
          options.onWarning?.(
            `Provider "${id}" uses api = "${protocolName}", which this build does not include.`,
          );
        continue;
      }
      const apiKey = cfg?.api_key ?? secret?.api_key ?? firstEnv(env, protocol.envKeys);
      // A secret-store record counts as configuration (bedrock keeps AWS keys there, not an api_key).
      if (!apiKey && !cfg && !secret && !protocol.alwaysAvailable) continue;
      const baseURL = cfg?.base_url ?? secret?.base_url;
      const provider: Provider = protocol.create({
        id,
        env,
        models,
        ...(apiKey ? { apiKey } : {}),
        ...(baseURL ? { baseURL } : {}),
        ...(hasHeaders ? { headers } : {}),
        ...(cfg?.default_model ? { defaultModel: cfg.default_model } : {}),
        ...(cfg?.region ? { region: cfg.region } : {}),
        ...(secret ? { secret } : {}),
      });
      registry.register(provider);
      continue;
    }

    if (id === "github-copilot") {
      const githubToken = cfg?.api_key ?? secret?.api_key ?? firstEnv(env, COPILOT_ENV_KEYS);
      if (!githubToken) continue;
      registry.register(
        createCopilotProvider({
          githubToken,
          models,
          defaultModel: cfg?.default_model ?? COPILOT_DEFAULT_MODEL,
          ...((cfg?.base_url ?? secret?.base_url) ? { baseURL: cfg?.base_url ?? secret?.base_url } : {}),
          ...(cfg?.github_api_url ? { githubApiURL: cfg.github_api_url } : {}),
          ...(hasHeaders ? { headers } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      );
      continue;
    }

    const preset = vendorPreset(id);
    const envKey = preset ? firstEnv(env, preset.envKeys) : undefined;
    const apiKey = cfg?.api_key ?? secret?.api_key ?? envKey;
    const baseURL =
      cfg?.base_url ?? secret?.base_url ?? (preset ? env[preset.envBaseURL] || preset.baseURL : undefined);
    if (!baseURL) {
      if (cfg)
        options.onWarning?.(
          `Provider "${id}" is not a built-in vendor: set providers.${id}.base_url in config.toml.`,
        );
      continue;
    }
    // A custom base_url (vLLM, Ollama, LM Studio...) may need no key; a built-in vendor always does.
    if (!apiKey && (preset || !(cfg?.base_url ?? secret?.base_url))) continue;
    const keyHint = preset
      ? `set ${preset.envKeys[0]} or providers.${id}.api_key in config.toml (get a key at ${preset.keyUrl})`
      : `set providers.${id}.api_key in config.toml`;
    registry.register(
      createOpenAICompatibleProvider({
        ...preset,
        id,
        baseURL,
        apiKey: apiKey ?? "no-key",
        models,
        keyHint,
        ...(preset?.headers || hasHeaders ? { headers: { ...preset?.headers, ...headers } } : {}),
        ...((cfg?.default_model ?? preset?.defaultModel)
          ? { defaultModel: cfg?.default_model ?? preset?.defaultModel }
          : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    );
  }
  await loadModuleProviders(registry, {
    config: options.config,
    env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.trustModule ? { trustModule: options.trustModule } : {}),
  });
  return registry;
}
