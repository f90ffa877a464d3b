import type { ModelInfo } from "../model-info.js";
import type { ChatRequest } from "./chat-request.js";
import type { StreamChunk } from "./stream-chunk.js";

/**
 * A model vendor. A custom provider is a plain object implementing this interface,
 * registered by id in a {@link ProviderRegistry}.
 */
export interface Provider {
  /** Provider id: the part of `provider/model` before the first slash. */
  readonly id: string;
  /** Models this provider offers (from its catalog or its API). */
  listModels(): Promise<ModelInfo[]>;
  /**
   * Streams one model response. Implementations throw {@link ProviderError} for vendor failures
   * and stop promptly when `signal` aborts.
   */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<StreamChunk>;
  /**
   * Starts loading what the first request needs (the vendor SDK, its client) without sending anything, so a
   * front end can call it as soon as the model is resolved and build tools and the session meanwhile. Never
   * rejects: a failure (a missing SDK) is reported by the first `stream` call, with its usual error.
   */
  warm?(): Promise<void>;
}
