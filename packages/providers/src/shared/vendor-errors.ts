import { errorKindForStatus, isAbortError, ProviderError, parseRetryAfter } from "@codetether/core";

// Error wording shared by the native vendors (Anthropic, Google, Bedrock) and the lazy SDK loaders.

/** What a provider error message may mention: the provider, how to fix the key, where it connected. */
export interface VendorErrorContext {
  provider: string;
  /** e.g. "set ANTHROPIC_API_KEY or providers.anthropic.api_key in config.toml". */
  keyHint: string;
  endpoint: string;
  /** Secrets to scrub from any vendor text copied into the message. */
  secrets: (string | undefined)[];
}

/** Removes secrets from text copied out of vendor responses. */
export function redact(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join("[REDACTED]");
  return out;
}

/**
 * Builds the ProviderError for an HTTP failure, with the same wording for every vendor:
 * 401/403 → "invalid API key for <provider>", 429 → rate_limit with `retryAfterMs`, 5xx → server.
 */
export function httpProviderError(
  status: number,
  vendorMessage: string,
  retryAfter: string | null | undefined,
  ctx: VendorErrorContext,
  cause: unknown,
): ProviderError {
  const kind = errorKindForStatus(status);
  const detail = redact(vendorMessage, ctx.secrets).slice(0, 500);
  const retryAfterMs = parseRetryAfter(retryAfter);
  let message: string;
  if (kind === "auth") {
    message = `invalid API key for ${ctx.provider} (HTTP ${status}: ${detail}). Check the key: ${ctx.keyHint}.`;
  } else if (kind === "rate_limit") {
    const wait = retryAfterMs !== undefined ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s` : "";
    message = `${ctx.provider} rate limit reached (HTTP 429: ${detail})${wait}.`;
  } else if (kind === "server") {
    message = `${ctx.provider} server error (HTTP ${status}: ${detail}); the request can be retried.`;
  } else if (kind === "not_found") {
    message = `${ctx.provider}: not found (HTTP 404: ${detail}). Check the model id and base URL (${ctx.endpoint}).`;
  } else {
    message = `${ctx.provider} rejected the request (HTTP ${status}: ${detail}).`;
  }
  return new ProviderError(message, {
    provider: ctx.provider,
    kind,
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    cause,
  });
}

/** A dropped or refused connection. */
export function networkProviderError(ctx: VendorErrorContext, err: unknown): ProviderError {
  const reason = err instanceof Error ? describeCause(err) : String(err);
  return new ProviderError(
    `${ctx.provider}: connection to ${ctx.endpoint} failed or was cut off (${redact(reason, ctx.secrets)}).`,
    { provider: ctx.provider, kind: "network", cause: err },
  );
}

function describeCause(err: Error): string {
  const parts = [err.message];
  let cause: unknown = err.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    parts.push(cause.message);
    cause = cause.cause;
  }
  return parts.filter(Boolean).join(": ");
}

/** Rethrows aborts as they are (the agent loop reports them as cancellations). */
export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || isAbortError(err);
}

/** Turns a failed lazy `import()` of an optional vendor SDK into an actionable error. */
export function missingSdkError(pkg: string, provider: string, err: unknown): ProviderError {
  const code = (err as { code?: unknown } | undefined)?.code;
  const missing = code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
  return new ProviderError(
    missing
      ? `The ${provider} provider needs the optional package "${pkg}": install it where codetether (or @codetether/providers) is installed: npm install ${pkg} (npm install -g ${pkg} for a global codetether).`
      : `The ${provider} provider could not load "${pkg}": ${err instanceof Error ? err.message : String(err)}`,
    { provider, kind: "unknown", cause: err },
  );
}
