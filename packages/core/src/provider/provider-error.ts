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

/**
 * Marks a ProviderError of any copy of @codetether/core (`Symbol.for` is one symbol across copies): a third-party
 * provider package imports its own copy, while the `codetether` CLI ships core bundled inside its dist.
 */
const PROVIDER_ERROR = Symbol.for("codetether.ProviderError");

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

  /**
   * `err instanceof ProviderError` also holds for a ProviderError thrown by a provider that uses another copy
   * of this package, so the agent still retries its rate limits and reports its kind. Subclasses keep the
   * ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): value is ProviderError {
    const branded = typeof value === "object" && value !== null && PROVIDER_ERROR in value;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof, maybe a subclass.
    return (branded && this === ProviderError) || Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
// On the prototype, not each instance: inherited by every error of every copy, and never printed or serialized.
Object.defineProperty(ProviderError.prototype, PROVIDER_ERROR, { value: true });

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
