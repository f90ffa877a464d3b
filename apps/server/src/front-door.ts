import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuditLog, ConnectMiddleware } from "@codetether/security";
import type { LazyLoad } from "./lazy-load.js";
import { hasMalformedEscape } from "./malformed-path.js";
import { BEARER_PRINCIPAL, principalOf, setPrincipal } from "./request-principal.js";

/** A plain Node request listener (what `http.createServer` takes). */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface FrontDoorOptions {
  audit: AuditLog;
  /** Bearer auth; it exempts the public paths itself and audits (aggregated) the requests it refuses. */
  auth: ConnectMiddleware;
  /** Paths served without the token (/health, the public agent cards). */
  publicPaths: ReadonlySet<string>;
  version: string;
  /** Everything but /health: express, the A2A service, the API routes. Loaded on the first request. */
  stack: LazyLoad<{ handler: RequestListener }>;
}

/** The path of a request as bearer auth's exemption sees it (no query, not decoded). */
export function pathOf(req: IncomingMessage): string {
  return (req.url ?? "").split("?")[0] ?? "";
}

/**
 * What every request passes before the request stack: audit, bearer auth and /health, on plain node:http,
 * so an idle server has not loaded express, the A2A SDK or the agent's tools. The first request that needs
 * the stack loads it; if that fails the request gets a 503 naming the error (the next request retries).
 */
export function frontDoor(options: FrontDoorOptions): RequestListener {
  const health = JSON.stringify({ status: "ok", version: options.version });
  return (req, res) => {
    const path = pathOf(req);
    options.auth(req, res, (err) => {
      // Only requests past auth get an api.call record: refused ones are audited by auth, aggregated per
      // address, so a tokenless flood cannot grow the log by a record per request.
      auditWhenFinished(options.audit, req, res, path);
      if (err) return sendJson(req, res, 500, internalError(req, path));
      if (!options.publicPaths.has(path)) setPrincipal(req, BEARER_PRINCIPAL);
      if ((req.method === "GET" || req.method === "HEAD") && path === "/health") {
        return sendJson(req, res, 200, health);
      }
      // Routers decode path parameters and answer a bad escape with an error whose status some of them
      // drop (500); one check here answers every route alike.
      if (hasMalformedEscape(path)) {
        return sendJson(
          req,
          res,
          400,
          JSON.stringify({
            error: {
              code: "invalid_path",
              message: `The request path ${JSON.stringify(path.slice(0, 200))} has a malformed percent-encoding (every "%" must start an escape such as %20 or %25); encode the path with encodeURIComponent.`,
            },
          }),
        );
      }
      options.stack.get().then(
        (stack) => stack.handler(req, res),
        (loadError: unknown) => {
          if (res.headersSent) return res.end();
          sendJson(
            req,
            res,
            503,
            JSON.stringify({
              error: {
                code: "unavailable",
                message: `The server could not load its request handlers (A2A, sessions, audit API): ${
                  (loadError as Error)?.message ?? String(loadError)
                }. The next request tries again.`,
              },
            }),
          );
        },
      );
    });
  };
}

function internalError(req: IncomingMessage, path: string): string {
  return JSON.stringify({
    error: { code: "internal", message: `Internal error while handling ${req.method} ${path}.` },
  });
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(req.method === "HEAD" ? undefined : body);
}

/** Audits every API call once the response is finished (no bodies, no tokens). */
function auditWhenFinished(audit: AuditLog, req: IncomingMessage, res: ServerResponse, path: string): void {
  const started = performance.now();
  res.on("finish", () => {
    const status = res.statusCode;
    void audit
      .append({
        actor: principalOf(req) ?? `client:${req.socket.remoteAddress ?? "?"}`,
        action: "api.call",
        resource: `${req.method} ${path}`,
        outcome:
          status < 400
            ? "success"
            : status === 401 || status === 403 || status === 429
              ? "denied"
              : "failure",
        details: { status, duration_ms: Math.round(performance.now() - started) },
      })
      .catch(() => {});
  });
}
