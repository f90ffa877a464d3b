import {
  abortError,
  errorKindForStatus,
  isAbortError,
  ProviderError,
  parseRetryAfter,
} from "@codetether/core";

/** What an error message may mention about the provider, and what it must never mention. */
export interface ErrorContext {
  provider: string;
  /** How to fix a missing/invalid key, e.g. "set MOONSHOT_API_KEY or providers.moonshotai.api_key in config.toml". */
  keyHint: string;
  baseURL: string;
  /** Values scrubbed from any message (API keys, tokens). */
  secrets: Array<string | undefined>;
}

interface StatusErrorLike {
  status?: unknown;
  headers?: unknown;
  message?: unknown;
  error?: unknown;
}

/** Removes secrets from text that came from a server or a library. */
export function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}

function header(headers: unknown, name: string): string | undefined {
  if (headers && typeof (headers as Headers).get === "function")
    return (headers as Headers).get(name) ?? undefined;
  if (headers && typeof headers === "object") {
    const v = (headers as Record<string, unknown>)[name];
    return typeof v === "string" ? v : undefined;
  }
  return undefined;
}

function serverMessage(err: StatusErrorLike): string {
  const body = err.error as { message?: unknown } | undefined;
  if (body && typeof body.message === "string") return body.message;
  return typeof err.message === "string" ? err.message : "";
}

/**
 * Maps anything the OpenAI SDK (or the network under it) throws to a {@link ProviderError}, except aborts,
 * which are rethrown as abort errors so the agent loop treats them as cancellation.
 */
export function toProviderError(err: unknown, ctx: ErrorContext, signal?: AbortSignal): Error {
  if (signal?.aborted || isAbortError(err)) return abortError(signal);
  if (err instanceof ProviderError) return err;
  const { provider } = ctx;
  const e = (err ?? {}) as StatusErrorLike;
  const status = typeof e.status === "number" ? e.status : undefined;
  const detail = redact(serverMessage(e), ctx.secrets).trim();
  if (status !== undefined) {
    const kind = errorKindForStatus(status);
    const retryAfterMs = parseRetryAfter(header(e.headers, "retry-after"));
    const suffix = detail ? `: ${detail}` : "";
    let message: string;
    if (status === 401) message = `invalid API key for ${provider} (HTTP 401${suffix}). Fix: ${ctx.keyHint}.`;
    else if (status === 403)
      message = `${provider} refused access (HTTP 403${suffix}). Check the key's permissions: ${ctx.keyHint}.`;
    else if (status === 404)
      message = `${provider}: not found (HTTP 404${suffix}). Check the model id and base URL ${ctx.baseURL}.`;
    else if (status === 429)
      message = `${provider} rate limit (HTTP 429${suffix})${retryAfterMs !== undefined ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s` : ""}.`;
    else if (status >= 500) message = `${provider} server error (HTTP ${status}${suffix}).`;
    else message = `${provider} rejected the request (HTTP ${status}${suffix}).`;
    return new ProviderError(message, {
      provider,
      kind,
      status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: err,
    });
  }
  const name = err instanceof Error ? err.name : "";
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? ` ${cause.code}` : "";
  const why = redact(`${detail || name || String(err)}${code}`, ctx.secrets);
  if (name === "APIConnectionTimeoutError") {
    return new ProviderError(`${provider}: request to ${ctx.baseURL} timed out.`, {
      provider,
      kind: "timeout",
      cause: err,
    });
  }
  return new ProviderError(`${provider}: connection to ${ctx.baseURL} failed (${why}).`, {
    provider,
    kind: "network",
    cause: err,
  });
}
