import { createHash } from "node:crypto";
import { AgentCard } from "@a2a-js/sdk";
import type { DefaultRequestHandler } from "@a2a-js/sdk/server";
import { agentCardHandler } from "@a2a-js/sdk/server/express";
import express, { type Router } from "express";

const LEGACY = /^0\.[0-3](\.|$)/;

/**
 * The public agent card. v1.0 callers (A2A-Version ≥ 1.0) get the ProtoJSON card with ETag,
 * Last-Modified and Cache-Control; callers without a version (⇒ 0.3) get the SDK's v0.3 card.
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
    if (options.legacyCompat && (version === "" || LEGACY.test(version))) return next();
    const body = JSON.stringify(AgentCard.toJSON(await handler.getAgentCard()));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    res.setHeader("ETag", etag);
    res.setHeader("Last-Modified", lastModified);
    res.setHeader("Cache-Control", `public, max-age=${maxAge}`);
    res.append("Vary", "A2A-Version");
    if (req.fresh) {
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
