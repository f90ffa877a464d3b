import { ProviderError } from "@codetether/core";
import { httpProviderError, networkProviderError, type VendorErrorContext } from "../shared/vendor-errors.js";

/** Anthropic error types → the HTTP status the API uses for them. */
const STATUS_BY_ERROR_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

interface AnthropicLikeApiError {
  status?: number;
  headers?: Headers;
  error?: unknown;
  message: string;
}

function vendorMessage(err: AnthropicLikeApiError): string {
  const body = err.error as { error?: { message?: unknown } } | undefined;
  const msg = body?.error?.message;
  return typeof msg === "string" ? msg : err.message;
}

/** Maps an `@anthropic-ai/sdk` error to a ProviderError. */
export function anthropicProviderError(err: unknown, ctx: VendorErrorContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const apiError = err as AnthropicLikeApiError;
  if (err instanceof Error && typeof apiError.status === "number") {
    return httpProviderError(
      apiError.status,
      vendorMessage(apiError),
      apiError.headers?.get("retry-after"),
      ctx,
      err,
    );
  }
  // An SSE `error` event mid-stream has no HTTP status; its error type says what happened.
  const streamType = (apiError.error as { error?: { type?: unknown } } | undefined)?.error?.type;
  const streamStatus = typeof streamType === "string" ? STATUS_BY_ERROR_TYPE[streamType] : undefined;
  if (err instanceof Error && streamStatus !== undefined) {
    return httpProviderError(streamStatus, vendorMessage(apiError), undefined, ctx, err);
  }
  return networkProviderError(ctx, err);
}
