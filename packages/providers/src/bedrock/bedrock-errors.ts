import { ProviderError, type ProviderErrorKind } from "@codetether/core";
import {
  httpProviderError,
  networkProviderError,
  redact,
  type VendorErrorContext,
} from "../shared/vendor-errors.js";

/** AWS error shape names that say more than the HTTP status. */
const KIND_BY_NAME: Record<string, { kind: ProviderErrorKind; status: number }> = {
  UnrecognizedClientException: { kind: "auth", status: 403 },
  InvalidSignatureException: { kind: "auth", status: 403 },
  ExpiredTokenException: { kind: "auth", status: 403 },
  AccessDeniedException: { kind: "auth", status: 403 },
  ThrottlingException: { kind: "rate_limit", status: 429 },
  ServiceQuotaExceededException: { kind: "rate_limit", status: 429 },
  ModelNotReadyException: { kind: "server", status: 503 },
  ServiceUnavailableException: { kind: "server", status: 503 },
  InternalServerException: { kind: "server", status: 500 },
  ModelStreamErrorException: { kind: "server", status: 500 },
  ModelTimeoutException: { kind: "timeout", status: 408 },
  ResourceNotFoundException: { kind: "not_found", status: 404 },
  ValidationException: { kind: "bad_request", status: 400 },
};

interface SmithyError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/** Maps an `@aws-sdk/client-bedrock-runtime` error (HTTP or in-stream) to a ProviderError. */
export function bedrockProviderError(err: unknown, ctx: VendorErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  if (!(err instanceof Error)) return networkProviderError(ctx, err);
  const e = err as Error & SmithyError;
  const known = KIND_BY_NAME[e.name];
  const httpStatus = e.$metadata?.httpStatusCode;
  const status = httpStatus && httpStatus >= 400 ? httpStatus : known?.status;
  if (status === undefined) return networkProviderError(ctx, err);
  const retryAfter = e.$response?.headers?.["retry-after"];
  const detail = `${e.name}: ${e.message}`;
  const mapped = httpProviderError(status, detail, retryAfter, ctx, err);
  if (!known || known.kind === mapped.kind) return mapped;
  // The error shape wins over the status (e.g. an expired token is a 400 ExpiredTokenException upstream).
  const message =
    known.kind === "auth"
      ? `invalid API key for ${ctx.provider} (HTTP ${status}: ${redact(detail, ctx.secrets)}). Check the credentials: ${ctx.keyHint}.`
      : mapped.message;
  return new ProviderError(message, {
    provider: ctx.provider,
    kind: known.kind,
    status,
    ...(mapped.retryAfterMs !== undefined ? { retryAfterMs: mapped.retryAfterMs } : {}),
    cause: err,
  });
}
