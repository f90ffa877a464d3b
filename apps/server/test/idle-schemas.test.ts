// `serve` answers /health and refuses a bad token without constructing any zod schema: every schema factory of
// zod is counted (the mock wraps them), from importing the server through starting it to those two answers, so a
// schema built at module load anywhere on that path (core, security, a2a, the server) makes this fail.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it, vi } from "vitest";

const zodCalls = vi.hoisted(() => ({ names: [] as string[] }));

vi.mock("zod", async (importOriginal) => {
  const real = await importOriginal<typeof import("zod")>();
  const z: Record<string, unknown> = { ...real.z };
  for (const [name, value] of Object.entries(real.z)) {
    // Lower-case functions of `z` are its schema factories (z.object, z.string, z.enum...).
    if (typeof value === "function" && /^[a-z]/.test(name))
      z[name] = (...args: unknown[]) => {
        zodCalls.names.push(name);
        return (value as (...a: unknown[]) => unknown)(...args);
      };
  }
  return { ...real, z };
});

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "server-idle-schemas-"));
let stop: (() => Promise<void>) | undefined;
afterAll(async () => {
  await stop?.();
  await fs.rm(dataDir, { recursive: true, force: true });
});

it("/health and an auth failure build no schema; a real request does", async () => {
  const { startServer } = await import("../src/index.js");
  const server = await startServer({
    port: 0,
    grpcPort: 0,
    dataDir,
    cwd: dataDir,
    token: "idle-schemas-token-0123456789",
    provider: {
      id: "scripted",
      async listModels() {
        return [];
      },
      async *stream() {
        yield { type: "text-delta", text: "hi" };
        yield { type: "finish", reason: "stop" };
      },
    },
    model: "m1",
  });
  stop = () => server.close();
  const health = await fetch(`${server.url}/health`);
  expect(health.status).toBe(200);
  const refused = await fetch(`${server.url}/a2a`, {
    method: "POST",
    headers: { authorization: "Bearer wrong-token-0123456789abcdef", "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }),
  });
  expect(refused.status).toBe(401);
  expect(zodCalls.names).toEqual([]);

  // The counting can fail: the audit API validates its query with a schema, built on this first use.
  const audit = await fetch(`${server.url}/v1/audit/events?limit=1`, {
    headers: { authorization: "Bearer idle-schemas-token-0123456789" },
  });
  expect(audit.status).toBe(200);
  expect(zodCalls.names.length).toBeGreaterThan(0);
});
