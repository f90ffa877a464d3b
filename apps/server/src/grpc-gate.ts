import type { A2ARequestHandler } from "@a2a-js/sdk/server";
import type { GrpcCallRecord, GrpcGate } from "@codetether/a2a/grpc";
import type { AuditLog, BearerAuthMiddleware } from "@codetether/security";
import { BEARER_PRINCIPAL } from "./request-principal.js";

/** The gRPC port for an HTTP port: `port + 1` by default, any free port (0) next to an ephemeral HTTP port. */
export function grpcPortFor(httpPort: number, requested: number | undefined): number | undefined {
  if (requested === 0) return undefined;
  if (requested !== undefined) return requested;
  if (httpPort === 65535) {
    throw new Error(
      "--port 65535 leaves no default gRPC port (port + 1); pass --grpc-port (0 disables gRPC).",
    );
  }
  return httpPort === 0 ? 0 : httpPort + 1;
}

/** The card's gRPC interface URL: `host:port` of the server's (public) base URL. */
export function grpcUrlOf(baseUrl: string, port: number): string {
  return `${new URL(baseUrl).hostname}:${port}`;
}

// gRPC status codes that mean "the caller was refused" (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED).
const DENIED = new Set([16, 7, 8]);

/**
 * What the gRPC binding calls, built from the HTTP side's own parts: the same bearer check, failed-auth
 * limiter and aggregated failed-auth audit (`auth.authorize`), the same lazily loaded A2A request handler,
 * and one `api.call` audit record per authorized call, like the HTTP front door writes.
 */
export function grpcGate(parts: {
  auth: BearerAuthMiddleware;
  audit: AuditLog;
  requestHandler: () => Promise<A2ARequestHandler>;
}): GrpcGate {
  return {
    authorize({ authorization, client, method }) {
      const decision = parts.auth.authorize({
        // Several authorization values are malformed, as a repeated HTTP header is.
        authorization:
          authorization.length === 0
            ? undefined
            : authorization.length === 1
              ? authorization[0]
              : authorization,
        client,
        resource: `GRPC ${method}`,
      });
      if (decision.ok) return { ok: true, principal: BEARER_PRINCIPAL };
      return {
        ok: false,
        reason: decision.status === 429 ? "rate_limited" : "unauthenticated",
        message: decision.message,
      };
    },
    requestHandler: parts.requestHandler,
    onCallEnd(record: GrpcCallRecord) {
      void parts.audit
        .append({
          actor: record.principal,
          action: "api.call",
          resource: `GRPC ${record.method}`,
          outcome: record.code === 0 ? "success" : DENIED.has(record.code) ? "denied" : "failure",
          details: { grpc_status: record.code, duration_ms: record.durationMs },
        })
        .catch(() => {});
    },
  };
}
