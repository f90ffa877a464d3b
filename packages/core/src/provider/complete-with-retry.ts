import { streamOnce } from "../agent/stream-once.js";
import { abortError, sleep } from "../util/abort.js";
import { backoffDelay } from "../util/retry.js";
import type { ChatRequest } from "./chat-request.js";
import { type CollectedResponse, ResponseAccumulator } from "./collect.js";
import type { Provider } from "./provider.js";
import { ProviderError } from "./provider-error.js";
import type { StreamChunk } from "./stream-chunk.js";

export interface CompleteWithRetryOptions {
  signal?: AbortSignal;
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** A stream with no chunk for this long is a retryable timeout (default 120 s). */
  idleTimeoutMs?: number;
  /**
   * Sees every chunk as it arrives. Return true once a chunk has reached the user (streamed text): from then on
   * a failure is not retried, since a retry would show the same text twice.
   */
  onChunk?: (chunk: StreamChunk) => boolean | undefined;
  /** Told before each backoff sleep. */
  onRetry?: (retry: { attempt: number; delayMs: number; error: string }) => void;
}

/**
 * One model call with the same retry policy everywhere a model is called (the agent loop, swarm's planner and
 * synthesis, RLM, PRD drafting, summaries, cognition): retryable provider errors (connection failures, 429, 5xx,
 * idle timeouts) are retried with exponential backoff and the server's Retry-After; anything else, a cancel, or a
 * failure after output reached the user is thrown.
 */
export async function completeWithRetry(
  provider: Provider,
  request: ChatRequest,
  options: CompleteWithRetryOptions = {},
): Promise<CollectedResponse> {
  const signal = options.signal ?? new AbortController().signal;
  const maxRetries = options.maxRetries ?? 4;
  for (let attempt = 1; ; attempt++) {
    const acc = new ResponseAccumulator();
    let shown = false;
    try {
      await streamOnce(provider, request, signal, options.idleTimeoutMs ?? 120_000, (chunk) => {
        acc.push(chunk);
        if (options.onChunk?.(chunk)) shown = true;
      });
      return acc.result();
    } catch (err) {
      if (signal.aborted) throw abortError(signal);
      const retryable = err instanceof ProviderError && err.retryable;
      if (!retryable || shown || attempt > maxRetries) throw err;
      const delayMs = backoffDelay(attempt, err.retryAfterMs);
      options.onRetry?.({ attempt, delayMs, error: err.message });
      await sleep(delayMs, signal);
    }
  }
}
