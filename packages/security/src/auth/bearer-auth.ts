import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuditLog } from "../audit/audit-log.js";
import { FailedAuthAudit } from "./failed-auth-audit.js";
import { FailureRateLimiter, type RateLimitOptions } from "./failure-rate-limiter.js";

export interface BearerAuthOptions {
  /** The server token. Required: authentication cannot be turned off. */
  token: string;
  /** Requests that need no token (the caller decides, e.g. `GET /health`). */
  exempt?: (req: IncomingMessage) => boolean;
  /** Failed attempts and lockouts are recorded here, aggregated per client address and window. */
  audit?: AuditLog;
  /** Aggregation window of the failed-auth audit (default 60 s). */
  auditWindowMs?: number;
  /** Lock a client address out after too many failures (default 10 per minute). */
  rateLimit?: RateLimitOptions;
  /** The client address used for rate limiting and audit (default: the socket's remote address). Behind a
   * trusted reverse proxy, derive it from the proxy's header here. */
  clientAddress?: (req: IncomingMessage) => string;
}

export type ConnectMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/** Constant-time token comparison: equal-length SHA-256 digests, so neither content nor length leaks. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export type BearerFailure = "missing" | "malformed" | "invalid";
type Failure = BearerFailure;

/** What {@link BearerAuthMiddleware.authorize} decides for one request of any transport. */
export type BearerDecision =
  | { ok: true }
  | { ok: false; status: 401; failure: Failure; message: string }
  | { ok: false; status: 429; retryAfterSeconds: number; message: string };

/** One request to authorize outside HTTP (e.g. a gRPC call): its credential, address and resource. */
export interface BearerRequest {
  /** The `authorization` value(s) presented (HTTP header, gRPC metadata); undefined when absent. */
  authorization: string | string[] | undefined;
  /** The client address failures are counted and audited under (same key space as HTTP's). */
  client: string;
  /** What was asked for, for the failed-auth audit (e.g. `GRPC /lf.a2a.v1.A2AService/GetTask`). */
  resource: string;
}

/**
 * Bearer auth middleware; `flushAudit()` writes the pending failed-auth summaries (call on shutdown);
 * `authorize()` is the same check, limiter and failed-auth audit for requests that are not HTTP.
 */
export type BearerAuthMiddleware = ConnectMiddleware & {
  flushAudit(): void;
  authorize(request: BearerRequest): BearerDecision;
};

/**
 * Connect-style middleware (Express, plain `http`) requiring `Authorization: Bearer <token>`.
 * Missing or wrong tokens get `401` with `WWW-Authenticate: Bearer` and a JSON body; failures are counted
 * per client address, and a locked-out address gets `429` + `Retry-After` for every request that does not
 * carry the valid token. The valid token always passes: a lockout must not let anyone who can reach the
 * port (and send tokenless requests from a shared address) lock the real client out. Tokens are 256-bit,
 * so answering the right token during a lockout gives a guesser nothing. Failures are audited (never
 * with the presented token), aggregated per address and window (see FailedAuthAudit).
 */
export function bearerAuth(options: BearerAuthOptions): BearerAuthMiddleware {
  if (typeof options.token !== "string" || options.token.length < 16 || /\s/.test(options.token)) {
    throw new Error(
      "bearerAuth needs a token of at least 16 characters without whitespace; use resolveAuthToken() to get one",
    );
  }
  const expected = options.token;
  const limiter = new FailureRateLimiter(options.rateLimit ?? { maxFailures: 10, windowMs: 60_000 });
  const failures = new FailedAuthAudit({
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.auditWindowMs ? { windowMs: options.auditWindowMs } : {}),
  });

  const authorize = (request: BearerRequest): BearerDecision => {
    const failure = check(request.authorization, expected);
    if (failure === undefined) return { ok: true };
    const { client, resource } = request;
    const waitMs = limiter.retryAfterMs(client);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      failures.record(client, resource, "rate_limited", { retry_after_s: seconds });
      return {
        ok: false,
        status: 429,
        retryAfterSeconds: seconds,
        message: `Too many failed authentication attempts from ${client}; retry after ${seconds}s.`,
      };
    }
    limiter.recordFailure(client);
    failures.record(client, resource, failure, {});
    return { ok: false, status: 401, failure, message: MESSAGES[failure] };
  };

  const middleware: ConnectMiddleware = (req, res, next) => {
    if (options.exempt?.(req)) return next();
    const decision = authorize({
      authorization: req.headers.authorization,
      client: options.clientAddress?.(req) ?? req.socket?.remoteAddress ?? "unknown",
      resource: `${req.method ?? "?"} ${(req.url ?? "").split("?")[0]}`,
    });
    if (decision.ok) return next();
    if (decision.status === 429) {
      res.statusCode = 429;
      res.setHeader("Retry-After", String(decision.retryAfterSeconds));
      return sendJson(res, { error: { code: "rate_limited", message: decision.message } });
    }
    res.statusCode = 401;
    res.setHeader(
      "WWW-Authenticate",
      decision.failure === "missing"
        ? 'Bearer realm="codetether"'
        : 'Bearer realm="codetether", error="invalid_token"',
    );
    sendJson(res, { error: { code: "unauthorized", message: decision.message } });
  };
  return Object.assign(middleware, { flushAudit: () => failures.flush(), authorize });
}

const MESSAGES: Record<Failure, string> = {
  missing: "Missing Authorization header. Send 'Authorization: Bearer <token>' (see CODETETHER_AUTH_TOKEN).",
  malformed: "Malformed Authorization header. Expected exactly 'Bearer <token>'.",
  invalid: "Invalid bearer token.",
};

function check(header: string | string[] | undefined, expected: string): Failure | undefined {
  if (header === undefined || header === "") return "missing";
  if (Array.isArray(header)) return "malformed";
  const match = /^Bearer ([^\s]+)$/.exec(header);
  if (!match) return "malformed";
  return tokensEqual(match[1]!, expected) ? undefined : "invalid";
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify(body));
}
