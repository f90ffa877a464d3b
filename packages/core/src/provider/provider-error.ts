/** Why a provider call failed, in terms the agent loop can act on. */
export type ProviderErrorKind =
  | "auth"
  | "rate_limit"
  | "server"
  | "timeout"
  | "network"
  | "bad_request"
  | "not_found"
  | "aborted"
  | "unknown";

export interface ProviderErrorOptions {
  provider: string;
  kind: ProviderErrorKind;
  status?: number;
  /** Server-requested delay (from `Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A failure talking to a model vendor. Messages never contain API keys. */
export class ProviderError extends Error {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, { cause: options.cause });
    this.name = "ProviderError";
    this.provider = options.provider;
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** 429, 5xx, timeouts and dropped connections are worth retrying; auth and bad requests are not. */
  get retryable(): boolean {
    return (
      this.kind === "rate_limit" ||
      this.kind === "server" ||
      this.kind === "timeout" ||
      this.kind === "network"
    );
  }
}

/** Maps an HTTP status to an error kind. */
export function errorKindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limit";
  if (status >= 500) return "server";
  if (status >= 400) return "bad_request";
  return "unknown";
}

/** Parses a `Retry-After` header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
