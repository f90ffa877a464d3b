import type { ChatRequest, ModelInfo, Provider, StreamChunk } from "@codetether/core";
import { abortError, ProviderError } from "@codetether/core";
import type { GoogleGenAI } from "@google/genai";
import { isAbort, missingSdkError, type VendorErrorContext } from "../shared/vendor-errors.js";
import { toGeminiConfig, toGeminiContents } from "./google-contents.js";
import { googleProviderError } from "./google-errors.js";
import { GOOGLE_DEFAULT_MODEL, GOOGLE_MODELS } from "./google-models.js";
import { mapGeminiStream } from "./google-stream.js";

type Env = Record<string, string | undefined>;

export interface GoogleProviderOptions {
  /** Default `google`. */
  id?: string;
  /** Default: `GEMINI_API_KEY`, else `GOOGLE_API_KEY`. */
  apiKey?: string;
  /** Override of the API endpoint (`httpOptions.baseUrl`), e.g. a local test server. */
  baseUrl?: string;
  headers?: Record<string, string>;
  defaultModel?: string;
  models?: ModelInfo[];
  env?: Env;
}

export interface GoogleProvider extends Provider {
  readonly defaultModel: string;
}

/**
 * The `google` provider on `@google/genai` (loaded on first use): native Gemini
 * `streamGenerateContent` (SSE) with function calling. SDK retries are off.
 */
export function createGoogleProvider(options: GoogleProviderOptions = {}): GoogleProvider {
  const env = options.env ?? process.env;
  const id = options.id ?? "google";
  const apiKey = options.apiKey ?? (env.GEMINI_API_KEY || env.GOOGLE_API_KEY || undefined);
  const defaultModel = options.defaultModel ?? GOOGLE_DEFAULT_MODEL;
  const ctx: VendorErrorContext = {
    provider: id,
    keyHint: `set GEMINI_API_KEY (or GOOGLE_API_KEY) or providers.${id}.api_key in config.toml`,
    endpoint: options.baseUrl ?? "https://generativelanguage.googleapis.com",
    secrets: [apiKey],
  };

  /** One client per request, so that its fetch can report the `Retry-After` of that request's response. */
  const createClient = async (onResponse: (res: Response) => void): Promise<GoogleGenAI> => {
    let sdk: typeof import("@google/genai");
    try {
      sdk = await import("@google/genai");
    } catch (err) {
      throw missingSdkError("@google/genai", id, err);
    }
    const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const res = await fetch(input, init);
      onResponse(res);
      return res;
    };
    return new sdk.GoogleGenAI({
      apiKey: apiKey ?? "",
      httpOptions: {
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        retryOptions: { attempts: 1 },
        fetch: recordingFetch,
      },
    });
  };

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamChunk> {
    if (!apiKey)
      throw new ProviderError(`No API key for ${id}: ${ctx.keyHint}.`, { provider: id, kind: "auth" });
    if (signal?.aborted) throw abortError(signal);
    let retryAfter: string | null = null;
    const client = await createClient((res) => {
      retryAfter = res.headers.get("retry-after");
    });
    try {
      const responses = await client.models.generateContentStream({
        model: request.model || defaultModel,
        contents: toGeminiContents(request).contents,
        config: toGeminiConfig(request, signal),
      });
      // Some SDK streams keep yielding buffered events after an abort; stop at the next chunk.
      for await (const chunk of mapGeminiStream(responses, id)) {
        if (signal?.aborted) throw abortError(signal);
        yield chunk;
      }
    } catch (err) {
      if (isAbort(err, signal)) throw signal?.aborted ? abortError(signal) : err;
      throw googleProviderError(err, ctx, retryAfter);
    }
  }

  return {
    id,
    defaultModel,
    listModels: async () => (options.models ?? GOOGLE_MODELS).map((m) => ({ ...m, provider: id })),
    stream,
    async warm() {
      // Clients are per request (see createClient); the SDK import is what the first one waits for.
      await import("@google/genai").catch(() => undefined);
    },
  };
}
