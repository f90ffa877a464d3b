import type Anthropic from "@anthropic-ai/sdk";
import type { ChatRequest, ModelInfo, Provider, StreamChunk } from "@codetether/core";
import { abortError, ProviderError } from "@codetether/core";
import { isAbort, missingSdkError, type VendorErrorContext } from "../shared/vendor-errors.js";
import { anthropicProviderError } from "./anthropic-errors.js";
import { toAnthropicParams } from "./anthropic-messages.js";
import { ANTHROPIC_DEFAULT_MODEL, ANTHROPIC_MODELS } from "./anthropic-models.js";
import { mapAnthropicEvents } from "./anthropic-stream.js";

type Env = Record<string, string | undefined>;

export interface AnthropicProviderOptions {
  /** Provider id (for `anthropic-eu` style aliases). Default `anthropic`. */
  id?: string;
  /** Default: `ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Default: `ANTHROPIC_BASE_URL`, else the SDK's `https://api.anthropic.com`. */
  baseUrl?: string;
  headers?: Record<string, string>;
  defaultModel?: string;
  /** `max_tokens` when the request sets none. Default 8192. */
  defaultMaxTokens?: number;
  /** Prompt-caching breakpoints on the system prompt and the last turns. Default true. */
  promptCaching?: boolean;
  /** Models reported by `listModels`. Default: the built-in Anthropic list. */
  models?: ModelInfo[];
  env?: Env;
}

export interface AnthropicProvider extends Provider {
  readonly defaultModel: string;
}

/**
 * The `anthropic` provider on `@anthropic-ai/sdk` (loaded on first use): Messages API streaming with
 * tool use, thinking blocks round-tripped with their signatures, prompt caching and cache usage.
 * SDK retries are off; the agent loop owns retries.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions = {}): AnthropicProvider {
  const env = options.env ?? process.env;
  const id = options.id ?? "anthropic";
  const apiKey = options.apiKey ?? env.ANTHROPIC_API_KEY;
  const baseUrl = options.baseUrl ?? env.ANTHROPIC_BASE_URL;
  const ctx: VendorErrorContext = {
    provider: id,
    keyHint: `set ANTHROPIC_API_KEY or providers.${id}.api_key in config.toml`,
    endpoint: baseUrl ?? "https://api.anthropic.com",
    secrets: [apiKey],
  };
  const defaultModel = options.defaultModel ?? ANTHROPIC_DEFAULT_MODEL;
  let client: Promise<Anthropic> | undefined;

  const getClient = (): Promise<Anthropic> => {
    client ??= import("@anthropic-ai/sdk").then(
      ({ default: AnthropicSdk }) =>
        new AnthropicSdk({
          apiKey: apiKey ?? null,
          authToken: null,
          baseURL: baseUrl ?? null,
          maxRetries: 0,
          ...(options.headers ? { defaultHeaders: options.headers } : {}),
        }),
      (err: unknown) => {
        client = undefined;
        throw missingSdkError("@anthropic-ai/sdk", id, err);
      },
    );
    return client;
  };

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamChunk> {
    if (!apiKey) {
      throw new ProviderError(`No API key for ${id}: ${ctx.keyHint}.`, { provider: id, kind: "auth" });
    }
    if (signal?.aborted) throw abortError(signal);
    const sdk = await getClient();
    const params = toAnthropicParams(
      { ...request, model: request.model || defaultModel },
      { defaultMaxTokens: options.defaultMaxTokens ?? 8192, promptCaching: options.promptCaching ?? true },
    );
    try {
      const events = await sdk.messages.create(params, signal ? { signal } : {});
      // Some SDK streams keep yielding buffered events after an abort; stop at the next chunk.
      for await (const chunk of mapAnthropicEvents(events, id)) {
        if (signal?.aborted) throw abortError(signal);
        yield chunk;
      }
    } catch (err) {
      if (isAbort(err, signal)) throw signal?.aborted ? abortError(signal) : err;
      throw anthropicProviderError(err, ctx);
    }
  }

  return {
    id,
    defaultModel,
    listModels: async () => (options.models ?? ANTHROPIC_MODELS).map((m) => ({ ...m, provider: id })),
    stream,
    async warm() {
      await getClient().catch(() => undefined);
    },
  };
}
