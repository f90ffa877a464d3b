import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { startServe, useServeCleanup, waitFor } from "./serve-helpers.js";

const TOKEN = "serve-hostile-token-0123456789abcdef";
const auth = { authorization: `Bearer ${TOKEN}` };
let sockets: net.Socket[] = [];
const { children, serveBox } = useServeCleanup("SIGKILL");

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets = [];
});

async function serveWith(extraEnv: Record<string, string> = {}) {
  const { box, env } = await serveBox([{ text: "ok" }], {
    CODETETHER_AUTH_TOKEN: TOKEN,
    CODETETHER_COGNITION_ENABLED: "false",
    ...extraEnv,
  });
  const serve = await startServe(["-m", "openai/gpt-4o"], env, box.work, children);
  return { serve, box };
}

/** Opens a raw TCP connection that sends nothing (or `send`), and records when the server closes it. */
async function rawSocket(url: string, send?: string): Promise<{ closed: () => boolean }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  sockets.push(socket);
  let closed = false;
  socket.on("close", () => {
    closed = true;
  });
  socket.on("error", () => {});
  socket.resume(); // read (and drop) what the server sends, so its FIN is seen and "close" fires
  await new Promise<void>((resolve) => {
    socket.once("connect", () => resolve());
    socket.once("close", () => resolve());
  });
  if (send !== undefined && !closed) socket.write(send);
  return { closed: () => closed };
}

describe("codetether serve against hostile clients (built binary)", () => {
  it("tokenless requests lock their address out, but never the valid token", async () => {
    const { serve } = await serveWith();
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await fetch(`${serve.url}/v1/sessions`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(5).fill(429));
    const valid = await fetch(`${serve.url}/v1/sessions`, { headers: auth });
    expect(valid.status).toBe(200);
    const a2a = await fetch(`${serve.url}/a2a/rest/tasks`, { headers: { ...auth, "A2A-Version": "1.0" } });
    expect(a2a.status).toBe(200);
  });

  it("the agent card and /health report the CLI's version", async () => {
    const { serve, box } = await serveWith();
    const version = (await runCli(["--version"], { cwd: box.work, env: box.env })).stdout.trim();
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const card = (await (await fetch(`${serve.url}/.well-known/agent-card.json`)).json()) as {
      version: string;
    };
    expect(card.version).toBe(version);
    expect(((await (await fetch(`${serve.url}/health`)).json()) as { version: string }).version).toBe(
      version,
    );
  });

  it("answers 400 to a malformed percent-encoding in any path parameter", async () => {
    const { serve } = await serveWith();
    const routes: Array<[string, string]> = [
      ["GET", "/v1/sessions/%zz%"],
      ["GET", "/a2a/rest/tasks/%zz%"],
      ["POST", "/a2a/rest/tasks/%zz%:cancel"],
      ["GET", "/a2a/rest/tasks/%zz%:subscribe"],
      ["POST", "/a2a/rest/tasks/%zz%/pushNotificationConfigs"],
      ["GET", "/a2a/rest/tasks/%zz%/pushNotificationConfigs"],
      ["GET", "/a2a/rest/tasks/t1/pushNotificationConfigs/%zz%"],
      ["DELETE", "/a2a/rest/tasks/t1/pushNotificationConfigs/%zz%"],
      ["POST", "/v1/swarm/personas/%zz%/spawn"],
      ["POST", "/v1/swarm/personas/%E0%A4%A/reap"],
    ];
    for (const [method, route] of routes) {
      const res = await fetch(`${serve.url}${route}`, {
        method,
        headers: { ...auth, "A2A-Version": "1.0", "content-type": "application/json" },
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect(res.status, `${method} ${route}`).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_path");
    }
    expect(serve.errors()).not.toMatch(/URIError/);
  });

  it("caps connections per address and cuts off clients that never finish their headers", async () => {
    const { serve } = await serveWith({
      CODETETHER_SERVER_MAX_CONNECTIONS_PER_ADDRESS: "4",
      CODETETHER_SERVER_HEADERS_TIMEOUT_MS: "500",
    });
    const held: Array<{ closed: () => boolean }> = [];
    for (let i = 0; i < 12; i++) held.push(await rawSocket(serve.url));
    // The server closes what is past the cap at once, and the four it accepted once they stay silent
    // past the header timeout.
    await waitFor(
      () => held.filter((s) => s.closed()).length >= 8,
      10_000,
      "connections past the cap to close",
    );
    await waitFor(() => held.every((s) => s.closed()), 10_000, "silent connections to be closed");
    for (const s of sockets) s.destroy();
    sockets = [];
    const healthy = () =>
      fetch(`${serve.url}/health`).then(
        (r) => r.status === 200,
        () => false, // refused while the server still counts our closed sockets
      );
    await waitFor(healthy, 10_000, "a free slot");

    const slow = await rawSocket(serve.url, "GET /v1/sessions HTTP/1.1\r\nHost: x\r\n");
    await waitFor(() => slow.closed(), 10_000, "the slow client to be cut off");
    expect((await fetch(`${serve.url}/v1/sessions`, { headers: auth })).status).toBe(200);
  });

  it("audits a flood of tokenless requests as a few aggregated records", async () => {
    const { serve, box } = await serveWith();
    for (let i = 0; i < 60; i++) await fetch(`${serve.url}/v1/sessions/s${i}`);
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    const file = path.join(box.env.XDG_DATA_HOME as string, "codetether", "audit", "audit.jsonl");
    const records = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action: string; details: { count?: number } });
    const denied = records.filter((r) => r.action.startsWith("auth.") || r.action === "api.call");
    expect(denied.length).toBeLessThanOrEqual(3);
    const counted = denied.reduce(
      (n, r) => n + (r.action === "auth.failures" ? (r.details.count ?? 0) : 1),
      0,
    );
    expect(counted).toBe(60);
  });
});
