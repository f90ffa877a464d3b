import fs from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { AuditLog, bearerAuth } from "@codetether/security";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { frontDoor, type RequestListener } from "../src/front-door.js";
import { lazyLoad } from "../src/lazy-load.js";
import { principalOf } from "../src/request-principal.js";
import { auth, start, TOKEN } from "./helpers.js";

describe("lazyLoad", () => {
  it("loads once for concurrent first callers and keeps the value", async () => {
    let loads = 0;
    const lazy = lazyLoad(async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: loads };
    });
    expect(lazy.loaded).toBeUndefined();
    const results = await Promise.all([lazy.get(), lazy.get(), lazy.get()]);
    expect(loads).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(await lazy.get()).toBe(results[0]);
    expect(lazy.loaded).toBe(results[0]);
  });

  it("gives every waiting caller the load error, then tries again on the next call", async () => {
    let loads = 0;
    const lazy = lazyLoad(async () => {
      loads++;
      if (loads === 1) throw new Error("disk on fire");
      return "ok";
    });
    const first = await Promise.allSettled([lazy.get(), lazy.get()]);
    expect(first.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(lazy.pending).toBeUndefined();
    expect(await lazy.get()).toBe("ok");
    expect(loads).toBe(2);
  });
});

describe("front door with a stub request stack", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  async function serve(load: () => Promise<{ handler: RequestListener }>) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "front-door-"));
    const audit = await AuditLog.open({ dir, knownSecrets: [TOKEN] });
    const publicPaths = new Set(["/health", "/.well-known/agent-card.json"]);
    const stack = lazyLoad(load);
    const authMiddleware = bearerAuth({
      token: TOKEN,
      audit,
      exempt: (req) => req.method === "GET" && publicPaths.has((req.url ?? "").split("?")[0] ?? ""),
    });
    const http = createHttpServer(
      frontDoor({ audit, auth: authMiddleware, publicPaths, version: "9.9.9", stack }),
    );
    servers.push(http);
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, stack, audit };
  }

  const echo: RequestListener = (req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ path: req.url, principal: principalOf(req) ?? null }));
  };

  it("serves /health and refuses unauthenticated requests without loading the stack", async () => {
    let loads = 0;
    const { url, stack } = await serve(async () => {
      loads++;
      return { handler: echo };
    });
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: "ok", version: "9.9.9" });
    const denied = await fetch(`${url}/v1/sessions`);
    expect(denied.status).toBe(401);
    await denied.body?.cancel();
    expect(loads).toBe(0);
    expect(stack.loaded).toBeUndefined();
  });

  it("concurrent first requests share one load and reach the stack with their principal", async () => {
    let loads = 0;
    const { url } = await serve(async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 50));
      return { handler: echo };
    });
    const bodies = await Promise.all(
      ["/v1/a", "/v1/b", "/v1/c", "/.well-known/agent-card.json"].map(async (p) =>
        (await fetch(`${url}${p}`, { headers: p.startsWith("/v1") ? auth : {} })).json(),
      ),
    );
    expect(loads).toBe(1);
    expect(bodies).toEqual([
      { path: "/v1/a", principal: "bearer-token-user" },
      { path: "/v1/b", principal: "bearer-token-user" },
      { path: "/v1/c", principal: "bearer-token-user" },
      // Public: no principal, as before the stack was lazy.
      { path: "/.well-known/agent-card.json", principal: null },
    ]);
  });

  it("a stack that fails to load answers 503 with the reason, is audited, and the next request retries", async () => {
    let loads = 0;
    const { url, audit } = await serve(async () => {
      loads++;
      if (loads === 1) throw new Error("Cannot find package 'express'");
      return { handler: echo };
    });
    const failed = await fetch(`${url}/v1/sessions`, { headers: auth });
    expect(failed.status).toBe(503);
    const body = (await failed.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unavailable");
    expect(body.error.message).toContain("Cannot find package 'express'");
    const retried = await fetch(`${url}/v1/sessions`, { headers: auth });
    expect(retried.status).toBe(200);
    await retried.body?.cancel();
    expect(loads).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    const calls = (await audit.query({ action: "api.call" })).records;
    expect(calls.map((r) => r.outcome)).toEqual(["failure", "success"]);
  });
});

describe("codetether serve loads its request stack on first use", () => {
  let server: Awaited<ReturnType<typeof start>> | undefined;
  afterAll(async () => {
    await server?.close();
  });

  it("is idle-light until the first authenticated request, then serves A2A and the API", async () => {
    server = await start();
    expect(server.stackLoaded()).toBe(false);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const denied = await fetch(`${server.url}/a2a/rest/tasks`);
    expect(denied.status).toBe(401);
    await denied.body?.cancel();
    expect(server.stackLoaded()).toBe(false);

    const [sessions, card, tasks] = await Promise.all([
      fetch(`${server.url}/v1/sessions`, { headers: auth }),
      fetch(`${server.url}/.well-known/agent-card.json`, { headers: { "a2a-version": "1.0" } }),
      fetch(`${server.url}/a2a/rest/tasks`, { headers: { ...auth, "a2a-version": "1.0" } }),
    ]);
    expect([sessions.status, card.status, tasks.status]).toEqual([200, 200, 200]);
    const served = (await card.json()) as { supportedInterfaces: Array<{ url: string }> };
    // The card built at start-up, with the port the server got.
    expect(served.supportedInterfaces[0]?.url).toBe(`${server.url}/a2a`);
    await sessions.body?.cancel();
    await tasks.body?.cancel();
    expect(server.stackLoaded()).toBe(true);
    expect((await server.a2a()).card).toBe(server.card);
  });
});
