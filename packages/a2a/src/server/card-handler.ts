import { createHash } from "node:crypto";
import { AgentCard } from "@a2a-js/sdk";
import type { DefaultRequestHandler } from "@a2a-js/sdk/server";
import { agentCardHandler } from "@a2a-js/sdk/server/express";
import express, { type Response, type Router } from "express";

const LEGACY = /^0\.[0-3](\.|$)/;

/**
 * The public agent card. v1.0 callers (A2A-Version ≥ 1.0) get the ProtoJSON card with ETag,
 * Last-Modified and Cache-Control; callers without a version (⇒ 0.3) get the SDK's v0.3 card (which embeds
 * the v1.0 `supportedInterfaces`), with the same Last-Modified and with the v1.0 capability
 * `extendedAgentCard` next to v0.3's `supportsAuthenticatedExtendedCard`, so a v1.0 client that fetches the
 * card without `A2A-Version` (as the official TCK does) still sees every capability the agent has.
 * (The SDK's own handler stringifies the internal object, leaking `$case` oneofs into the card.)
 */
export function cardRouter(
  handler: DefaultRequestHandler,
  options: { legacyCompat: boolean; maxAge?: number },
): Router {
  const router = express.Router();
  const lastModified = new Date().toUTCString();
  const maxAge = options.maxAge ?? 300;
  router.get("/", async (req, res, next) => {
    const version = String(req.get("a2a-version") ?? req.query["A2A-Version"] ?? "").trim();
    if (options.legacyCompat && (version === "" || LEGACY.test(version))) {
      res.setHeader("Last-Modified", lastModified);
      const ifNoneMatch = req.get("if-none-match"); // the SDK's handler below owns its ETag
      if (
        ifNoneMatch === undefined &&
        notModified(undefined, req.get("if-modified-since"), "", lastModified)
      ) {
        res.append("Vary", "A2A-Version");
        res.status(304).end();
        return;
      }
      addV1Capabilities(res);
      return next();
    }
    const body = JSON.stringify(AgentCard.toJSON(await handler.getAgentCard()));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    res.setHeader("ETag", etag);
    res.setHeader("Last-Modified", lastModified);
    res.setHeader("Cache-Control", `public, max-age=${maxAge}`);
    res.append("Vary", "A2A-Version");
    if (notModified(req.get("if-none-match"), req.get("if-modified-since"), etag, lastModified)) {
      res.status(304).end();
      return;
    }
    res.type("application/json").send(body);
  });
  if (options.legacyCompat)
    router.use(
      agentCardHandler({ agentCardProvider: handler, legacyCompat: { enabled: true }, cache: { maxAge } }),
    );
  return router;
}

/** Adds `capabilities.extendedAgentCard` (v1.0) to the SDK's v0.3 card body when it is sent. */
function addV1Capabilities(res: Response): void {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    res.send = send;
    if (typeof body !== "string") return send(body);
    try {
      const card = JSON.parse(body) as { supportsAuthenticatedExtendedCard?: unknown; capabilities?: object };
      if (card.supportsAuthenticatedExtendedCard !== true || typeof card.capabilities !== "object")
        return send(body);
      return send(
        JSON.stringify({ ...card, capabilities: { ...card.capabilities, extendedAgentCard: true } }),
      );
    } catch {
      return send(body);
    }
  };
}

/**
 * RFC 9110 §13.2.2: If-None-Match (weak comparison) wins over If-Modified-Since. Evaluated here rather
 * than with `req.fresh`, which also honours a request `Cache-Control: no-cache` — a directive for caches
 * (RFC 9111 §5.2.1.4), not for the origin; fetch() adds it to every conditional request.
 */
function notModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etag: string,
  lastModified: string,
): boolean {
  if (ifNoneMatch !== undefined) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
    return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((t) => opaque(t) === opaque(etag));
  }
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}
