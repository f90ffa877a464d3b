/** Why a Kubernetes operation failed, mapped to an HTTP status by the router. */
export type K8sErrorKind =
  | "disabled"
  | "unavailable"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid"
  | "unknown";

export class K8sError extends Error {
  constructor(
    message: string,
    readonly kind: K8sErrorKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = "K8sError";
  }

  /** HTTP status for API responses: 503 cluster unavailable, 409 conflicts and a disabled cluster, ... */
  get httpStatus(): number {
    switch (this.kind) {
      case "disabled":
        return 409;
      case "unavailable":
        return 503;
      case "forbidden":
        return 403;
      case "not_found":
        return 404;
      case "conflict":
        return 409;
      case "invalid":
        return 400;
      default:
        return 502;
    }
  }
}

interface ApiLikeError {
  code?: number;
  body?: unknown;
  message?: string;
  cause?: { code?: string };
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === "string") {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  if (body && typeof body === "object" && "message" in body)
    return String((body as { message: unknown }).message);
  return undefined;
}

/** Turns a client-node `ApiException` or a network error into a {@link K8sError} that says what to do. */
export function toK8sError(err: unknown, action: string): K8sError {
  if (err instanceof K8sError) return err;
  const e = err as ApiLikeError;
  const code = typeof e?.code === "number" ? e.code : undefined;
  const detail = statusMessage(e?.body) ?? e?.message ?? String(err);
  if (code === 403) {
    return new K8sError(
      `Kubernetes refused to ${action} (403 Forbidden): ${detail}. Grant the service account this verb in its Role ` +
        "(see deploy/k8s/rbac.yaml).",
      "forbidden",
      403,
    );
  }
  if (code === 404) return new K8sError(`Cannot ${action}: not found (${detail}).`, "not_found", 404);
  if (code === 409) return new K8sError(`Cannot ${action}: conflict (${detail}).`, "conflict", 409);
  if (code === 422 || code === 400)
    return new K8sError(`Cannot ${action}: invalid request (${detail}).`, "invalid", code);
  if (code === undefined || code >= 500) {
    return new K8sError(
      `Kubernetes API unavailable while trying to ${action}: ${detail}`,
      "unavailable",
      code,
    );
  }
  return new K8sError(`Cannot ${action}: ${detail}`, "unknown", code);
}
