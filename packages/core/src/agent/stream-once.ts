import type { ChatRequest } from "../provider/chat-request.js";
import type { Provider } from "../provider/provider.js";
import { ProviderError } from "../provider/provider-error.js";
import type { StreamChunk } from "../provider/stream-chunk.js";

/**
 * Consumes one provider stream, aborting it when the caller aborts or when no chunk arrives within
 * `idleTimeoutMs` (a provider that never answers becomes a retryable timeout, not a hang).
 */
export async function streamOnce(
  provider: Provider,
  request: ChatRequest,
  signal: AbortSignal,
  idleTimeoutMs: number,
  onChunk: (chunk: StreamChunk) => void,
): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("idle timeout"));
    }, idleTimeoutMs);
  };
  try {
    arm();
    for await (const chunk of provider.stream(request, controller.signal)) {
      if (controller.signal.aborted) break;
      arm();
      onChunk(chunk);
    }
    if (timedOut) throw timeoutError(provider.id, idleTimeoutMs);
  } catch (err) {
    if (timedOut) throw timeoutError(provider.id, idleTimeoutMs, err);
    throw err;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}

function timeoutError(provider: string, ms: number, cause?: unknown): ProviderError {
  return new ProviderError(
    `${provider}: no response from the model for ${Math.round(ms / 1000)} s (timeout).`,
    {
      provider,
      kind: "timeout",
      cause,
    },
  );
}
