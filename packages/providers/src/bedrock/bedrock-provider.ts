import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { ChatRequest, ModelInfo, Provider, StreamChunk } from "@codetether/core";
import { abortError } from "@codetether/core";
import { isAbort, missingSdkError, type VendorErrorContext } from "../shared/vendor-errors.js";
import { bedrockProviderError } from "./bedrock-errors.js";
import { toConverseInput } from "./bedrock-messages.js";
import { BEDROCK_DEFAULT_MODEL, BEDROCK_MODELS, resolveBedrockModelId } from "./bedrock-models.js";
import { mapConverseStream } from "./bedrock-stream.js";

type Env = Record<string, string | undefined>;

export interface BedrockCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface BedrockProviderOptions {
  /** Default `bedrock`. */
  id?: string;
  /** Default: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`. */
  region?: string;
  /** Explicit keys (e.g. from the secret store). Default: the standard AWS credential chain. */
  credentials?: BedrockCredentials;
  /** Endpoint override, e.g. a local test server or a VPC endpoint. */
  endpoint?: string;
  defaultModel?: string;
  /** `cachePoint` blocks after the system prompt and the last message (models that support it). */
  promptCaching?: boolean;
  models?: ModelInfo[];
  env?: Env;
}

export interface BedrockProvider extends Provider {
  readonly defaultModel: string;
  readonly region: string;
  /** The model id sent to Bedrock for a model name or alias. */
  resolveModelId(model: string): string;
}

/**
 * The `bedrock` provider on `@aws-sdk/client-bedrock-runtime` (loaded on first use): ConverseStream with
 * tool use, reasoning and cache usage; aliases resolve to cross-region inference profiles. SDK retries are off.
 */
export function createBedrockProvider(options: BedrockProviderOptions = {}): BedrockProvider {
  const env = options.env ?? process.env;
  const id = options.id ?? "bedrock";
  const region = options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1");
  const defaultModel = options.defaultModel ?? BEDROCK_DEFAULT_MODEL;
  const ctx: VendorErrorContext = {
    provider: id,
    keyHint: `set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or providers.${id} in the secret store, and check that the key may call bedrock:InvokeModelWithResponseStream in ${region}`,
    endpoint: options.endpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`,
    secrets: [options.credentials?.secretAccessKey, options.credentials?.sessionToken],
  };
  let client:
    | Promise<{ client: BedrockRuntimeClient; sdk: typeof import("@aws-sdk/client-bedrock-runtime") }>
    | undefined;

  const getClient = () => {
    // The SDK prints a NodeVersionSupportWarning on every run under Node 20 (future releases need Node 22).
    // The user cannot act on it (the SDK version is ours), and it lands in the middle of CLI output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    client ??= import("@aws-sdk/client-bedrock-runtime").then(
      (sdk) => ({
        sdk,
        client: new sdk.BedrockRuntimeClient({
          region,
          maxAttempts: 1,
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          ...(options.credentials ? { credentials: options.credentials } : {}),
        }),
      }),
      (err: unknown) => {
        client = undefined;
        throw missingSdkError("@aws-sdk/client-bedrock-runtime", id, err);
      },
    );
    return client;
  };

  const resolveModelId = (model: string) => resolveBedrockModelId(model || defaultModel, region);

  async function* stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamChunk> {
    if (signal?.aborted) throw abortError(signal);
    const { sdk, client: c } = await getClient();
    const input = toConverseInput(request, {
      modelId: resolveModelId(request.model),
      promptCaching: options.promptCaching ?? false,
    });
    try {
      const response = await c.send(
        new sdk.ConverseStreamCommand(input),
        signal ? { abortSignal: signal } : {},
      );
      if (!response.stream) throw new Error("ConverseStream returned no event stream");
      // Some SDK streams keep yielding buffered events after an abort; stop at the next chunk.
      for await (const chunk of mapConverseStream(response.stream, id)) {
        if (signal?.aborted) throw abortError(signal);
        yield chunk;
      }
    } catch (err) {
      if (isAbort(err, signal)) throw signal?.aborted ? abortError(signal) : err;
      throw bedrockProviderError(err, ctx);
    }
  }

  return {
    id,
    defaultModel,
    region,
    resolveModelId,
    listModels: async () => (options.models ?? BEDROCK_MODELS).map((m) => ({ ...m, provider: id })),
    stream,
    async warm() {
      await getClient().catch(() => undefined);
    },
  };
}
