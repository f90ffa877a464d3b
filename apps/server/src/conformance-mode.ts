import { streamingTimeoutMs } from "@codetether/a2a/lite";
import { deferredExecutor } from "./deferred-executor.js";
import type { ServerOptions } from "./server-options.js";

/** Loopback names a TCK's local webhook receiver uses; allowed only in conformance mode. */
export const LOOPBACK_WEBHOOK_HOSTS = ["127.0.0.1", "::1", "localhost"];

/**
 * `serve --a2a-conformance`: the production stack (transports, task store, auth, audit, push
 * notifications on) with the LLM-backed executor replaced by the TCK contract executor. Push
 * webhooks may target loopback (the TCK's receiver runs beside it); private networks stay refused.
 * Cognition is off: there is no model. Message parts of a media type the card does not list are refused.
 * `TCK_STREAMING_TIMEOUT` (seconds) sets how long
 * `test-resubscribe-message-id*` tasks stay WORKING (twice that).
 */
export function conformanceServerOptions(
  options: ServerOptions,
  env: Record<string, string | undefined>,
  log?: (line: string) => void,
): ServerOptions {
  const timeoutMs = streamingTimeoutMs(env);
  return {
    ...options,
    executor: deferredExecutor(async () => {
      const { ConformanceExecutor } = await import("@codetether/a2a");
      return new ConformanceExecutor({
        streamingTimeoutMs: timeoutMs,
        ...(log ? { onScenario: (title, messageId) => log(`conformance: ${messageId} → ${title}`) } : {}),
      });
    }),
    cognition: { ...options.cognition, enabled: false },
    // The card's input modes (text and JSON: what the TCK executor takes) are enforced (CORE-SEND-003).
    inputModes: ["text/plain", "application/json"],
    enforceInputModes: true,
    push: {
      ...options.push,
      enabled: true,
      allowedHosts: [...(options.push?.allowedHosts ?? []), ...LOOPBACK_WEBHOOK_HOSTS],
    },
  };
}
