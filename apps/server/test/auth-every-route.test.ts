import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examplePath, type RouteSpec } from "../src/index.js";
import { auth, start } from "./helpers.js";

let server: Awaited<ReturnType<typeof start>>;
beforeAll(async () => {
  const k8s = express.Router();
  k8s.get("/status", (_req, res) => {
    res.json({ ok: true });
  });
  server = await start({
    extraRouters: [
      {
        path: "/v1/k8s",
        router: k8s,
        routes: [{ method: "GET", path: "/v1/k8s/status", summary: "k8s status" }],
      },
    ],
  });
});
afterAll(async () => {
  await server.close();
});

function call(route: RouteSpec, headers: Record<string, string>) {
  return fetch(`${server.url}${examplePath(route)}`, {
    method: route.method,
    headers: { "content-type": "application/json", "a2a-version": "1.0", ...headers },
    ...(route.method === "GET" || route.method === "DELETE" ? {} : { body: "{}" }),
  });
}

describe("authentication on every route (enumerated from the route table)", () => {
  it("the route table covers the API, A2A and extra routers", () => {
    const paths = server.routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      "GET /health",
      "GET /.well-known/agent-card.json",
      "GET /v1/sessions",
      "GET /v1/sessions/:id",
      "GET /v1/audit/events",
      "POST /v1/audit/query",
      "POST /v1/cognition/start",
      "POST /v1/cognition/stop",
      "GET /v1/cognition/status",
      "GET /v1/cognition/stream",
      "GET /v1/cognition/snapshots/latest",
      "POST /v1/swarm/personas",
      "POST /v1/swarm/personas/:id/spawn",
      "POST /v1/swarm/personas/:id/reap",
      "GET /v1/swarm/lineage",
      "POST /a2a",
      "POST /a2a/rest/message:send",
      "GET /v1/k8s/status",
    ]) {
      expect(paths).toContain(expected);
    }
    expect(
      server.routes
        .filter((r) => r.public)
        .map((r) => r.path)
        .sort(),
    ).toEqual(["/.well-known/agent-card.json", "/.well-known/agent.json", "/health"]);
  });

  it("every non-public route answers 401 without a token and with a wrong one, and never runs", async () => {
    const protectedRoutes = server.routes.filter((r) => !r.public);
    expect(protectedRoutes.length).toBeGreaterThan(25);
    for (const route of protectedRoutes) {
      const none = await call(route, {});
      expect(none.status, `${route.method} ${route.path} without token`).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
      await none.body?.cancel();
      const wrong = await call(route, { authorization: "Bearer not-the-right-token-at-all" });
      expect(wrong.status, `${route.method} ${route.path} with a wrong token`).toBe(401);
      await wrong.body?.cancel();
      const malformed = await call(route, {
        authorization: `Basic ${Buffer.from("a:b").toString("base64")}`,
      });
      expect(malformed.status, `${route.method} ${route.path} with Basic auth`).toBe(401);
      await malformed.body?.cancel();
    }
    // Nothing ran: no persona was created, cognition never started.
    expect(server.cognition?.status().persona_count).toBe(0);
    expect(server.cognition?.status().running).toBe(false);
  });

  it("public routes answer without a token", async () => {
    for (const route of server.routes.filter((r) => r.public)) {
      const res = await call(route, {});
      expect(res.status, route.path).toBe(200);
      await res.body?.cancel();
    }
  });

  it("a token in the query string is not accepted, and the token never appears in the audit log", async () => {
    const res = await fetch(`${server.url}/v1/sessions?token=${encodeURIComponent(server.token)}`);
    expect(res.status).toBe(401);
    await fetch(`${server.url}/v1/sessions`, {
      headers: { authorization: "Bearer wrong-token-but-long-enough" },
    });
    await new Promise((r) => setTimeout(r, 50));
    const page = await server.audit.query({ limit: 1000 });
    expect(JSON.stringify(page.records)).not.toContain(server.token);
    expect(page.records.some((r) => r.action === "auth.failure")).toBe(true);
  });
});

describe("malformed percent-encoding", () => {
  it("every route with a path parameter answers 400, not 500, to %zz%", async () => {
    const withParams = server.routes.filter((r) => /:[A-Za-z]|\{/.test(r.path));
    expect(withParams.length).toBeGreaterThanOrEqual(10);
    for (const route of withParams) {
      const bad = route.path.replace(/:[A-Za-z_]+|\{[A-Za-z_]+\}/g, "%zz%");
      const res = await fetch(`${server.url}${bad}`, {
        method: route.method,
        headers: { ...auth, "content-type": "application/json", "a2a-version": "1.0" },
        ...(route.method === "GET" || route.method === "DELETE" ? {} : { body: "{}" }),
      });
      expect(res.status, `${route.method} ${bad}`).toBe(400);
    }
  });
});

describe("auth lockout", () => {
  it("locks an address out (429) after repeated failures with the default limit", async () => {
    const s = await start({ authRateLimit: { maxFailures: 3, windowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${s.url}/v1/sessions`, {
          headers: { authorization: "Bearer wrong-token-but-long-enough" },
        });
        statuses.push(r.status);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses[4]).toBe(429);
    } finally {
      await s.close();
    }
  });
});
