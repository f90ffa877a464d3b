import {
  abortError,
  type ChatRequest,
  type ModelInfo,
  type Provider,
  ProviderError,
  type StreamChunk,
} from "@codetether/core";
import type OpenAI from "openai";
import { type ErrorContext, redact, toProviderError } from "./openai-errors.js";
import { type OpenAIRequestQuirks, toOpenAIParams } from "./openai-messages.js";
import { mapOpenAIStream } from "./openai-stream.js";

/** Credentials for one request; a function of time for providers whose tokens expire (Copilot). */
export interface OpenAICredentials {
  apiKey: string;
  /** Overrides the configured base URL (Copilot's token names its API endpoint). */
  baseURL?: string;
  headers?: Record<string, string>;
}

export interface OpenAICompatibleOptions extends OpenAIRequestQuirks {
  /** Provider id, the part of `provider/model` before the slash. */
  id: string;
  /** Base URL of the Chat Completions API, e.g. `https://api.openai.com/v1`. */
  baseURL: string;
  /** Static API key, or a function called before each request (token exchange). */
  apiKey?: string | (() => Promise<OpenAICredentials>);
  /** Extra headers on every request (attribution, editor identification). */
  headers?: Record<string, string>;
  defaultModel?: string;
  /** Models reported by `listModels` (from the catalog). */
  models?: ModelInfo[];
  /** How to fix a missing or rejected key; appears in 401 errors. */
  keyHint?: string;
  /** Custom fetch (tests, proxies). */
  fetch?: typeof fetch;
}

export interface OpenAICompatibleProvider extends Provider {
  readonly defaultModel: string | undefined;
  readonly baseURL: string;
}

type OpenAIModule = typeof import("openai");
let sdk: Promise<OpenAIModule> | undefined;

/** Loads the `openai` SDK on first use, so registries stay cheap to build. */
function loadSdk(provider: string): Promise<OpenAIModule> {
  sdk ??= import("openai").catch((err: unknown) => {
    sdk = undefined;
    throw new ProviderError(
      `${provider}: cannot load the "openai" package (${String(err)}). Install it with: pnpm add openai`,
      {
        provider,
        kind: "unknown",
        cause: err,
      },
    );
  });
  return sdk;
}

/**
 * A provider for any OpenAI Chat Completions–compatible API on the official `openai` SDK: real SSE streaming,
 * streamed tool calls, usage with cached tokens, vendor quirks, errors mapped to {@link ProviderError}.
 * SDK retries are disabled: the agent loop retries with backoff and `Retry-After`.
 */
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): OpenAICompatibleProvider {
  const { id } = options;
  const keyHint = options.keyHint ?? `set providers.${id}.api_key in config.toml`;
  const clients = new Map<string, OpenAI>();

  async function credentials(): Promise<OpenAICredentials> {
    if (typeof options.apiKey === "function") return options.apiKey();
    if (!options.apiKey) {
      throw new ProviderError(`No API key for ${id}: ${keyHint}.`, { provider: id, kind: "auth" });
    }
    return { apiKey: options.apiKey };
  }

  async function client(creds: OpenAICredentials): Promise<OpenAI> {
    const baseURL = creds.baseURL ?? options.baseURL;
    const cacheKey = `${baseURL}\n${creds.apiKey}\n${JSON.stringify(creds.headers ?? {})}`;
    const cached = clients.get(cacheKey);
    if (cached) return cached;
    const { default: OpenAISdk } = await loadSdk(id);
    const made = new OpenAISdk({
      apiKey: creds.apiKey,
      baseURL,
      maxRetries: 0,
      // The agent loop's idle timeout decides when a silent stream is dead.
      timeout: 30 * 60_000,
      defaultHeaders: { ...options.headers, ...creds.headers },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (clients.size > 8) clients.clear(); // Rotating tokens must not grow the cache without bound.
    clients.set(cacheKey, made);
    return made;
  }

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamChunk> {
    if (signal?.aborted) throw abortError(signal);
    let creds: OpenAICredentials | undefined;
    const ctx = (): ErrorContext => ({
      provider: id,
      keyHint,
      baseURL: creds?.baseURL ?? options.baseURL,
      secrets: [creds?.apiKey, typeof options.apiKey === "string" ? options.apiKey : undefined],
    });
    try {
      creds = await credentials();
      const api = await client(creds);
      const model = request.model || options.defaultModel;
      if (!model)
        throw new ProviderError(`${id}: no model given and no default model configured.`, {
          provider: id,
          kind: "bad_request",
        });
      const params = toOpenAIParams({ ...request, model }, options);
      const chunks = await api.chat.completions.create(params, signal ? { signal } : {});
      for await (const chunk of mapOpenAIStream(chunks, id)) {
        if (signal?.aborted) throw abortError(signal);
        yield chunk;
      }
    } catch (err) {
      const mapped = toProviderError(err, ctx(), signal);
      if (mapped instanceof ProviderError) {
        mapped.message = redact(mapped.message, ctx().secrets);
      }
      throw mapped;
    }
  }

  return {
    id,
    defaultModel: options.defaultModel,
    baseURL: options.baseURL,
    async warm() {
      // A static key builds the very client the first request uses; a token exchange (Copilot) only loads the SDK.
      await (typeof options.apiKey === "string" ? client({ apiKey: options.apiKey }) : loadSdk(id)).catch(
        () => undefined,
      );
    },
    async listModels() {
      return (options.models ?? []).map((m) => structuredClone(m));
    },
    stream,
  };
}
