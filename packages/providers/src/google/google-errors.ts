import { ProviderError } from "@codetether/core";
import { httpProviderError, networkProviderError, type VendorErrorContext } from "../shared/vendor-errors.js";

interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; details?: Record<string, unknown>[] };
}

function parseBody(message: string): GoogleErrorBody | undefined {
  const start = message.indexOf("{");
  if (start < 0) return undefined;
  try {
    const value: unknown = JSON.parse(message.slice(start));
    return value !== null && typeof value === "object" ? (value as GoogleErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** `google.rpc.RetryInfo.retryDelay` ("7s", "1.5s") as a Retry-After value in seconds. */
function retryDelaySeconds(details: Record<string, unknown>[] | undefined): string | undefined {
  for (const d of details ?? []) {
    const delay = d.retryDelay;
    if (typeof delay === "string" && /^\d+(\.\d+)?s$/.test(delay)) return delay.slice(0, -1);
  }
  return undefined;
}

/**
 * Maps an `@google/genai` error to a ProviderError. Gemini answers a wrong key with 400 and reason
 * `API_KEY_INVALID`, which is an auth error here. The retry delay comes from the `Retry-After` header
 * when the response had one, else from the body's RetryInfo.
 */
export function googleProviderError(
  err: unknown,
  ctx: VendorErrorContext,
  retryAfterHeader: string | null | undefined,
): ProviderError {
  if (err instanceof ProviderError) return err;
  const status = (err as { status?: unknown } | undefined)?.status;
  if (err instanceof Error && typeof status === "number") {
    const body = parseBody(err.message);
    const details = body?.error?.details;
    const keyInvalid = details?.some((d) => d.reason === "API_KEY_INVALID") ?? false;
    const effectiveStatus = keyInvalid ? 401 : status;
    const vendorMessage = body?.error?.message ?? err.message;
    const retryAfter = retryAfterHeader ?? retryDelaySeconds(details);
    const mapped = httpProviderError(effectiveStatus, vendorMessage, retryAfter, ctx, err);
    if (effectiveStatus === status) return mapped;
    return new ProviderError(mapped.message.replace("HTTP 401", `HTTP ${status}`), {
      provider: ctx.provider,
      kind: mapped.kind,
      status,
      cause: err,
    });
  }
  return networkProviderError(ctx, err);
}
