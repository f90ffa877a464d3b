import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditLog, bearerAuth, resolveAuthToken, tokensEqual } from "../src/index.js";
import { tempDir } from "./helpers.js";

const TOKEN = "s3cr3t-token-0123456789abcdef";
const servers: http.Server[] = [];

async function serve(middleware: ReturnType<typeof bearerAuth>): Promise<string> {
  const server = http.createServer((req, res) => {
    middleware(req, res, (err) => {
      res.statusCode = err ? 500 : 200;
      res.end(err ? "error" : "ok");
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe("bearerAuth", () => {
  it("accepts the right token and refuses missing, wrong, different-length and lowercase-scheme tokens", async () => {
    const base = await serve(bearerAuth({ token: TOKEN }));
    expect((await fetch(`${base}/v1/x`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const attempts: Record<string, string | undefined> = {
      missing: undefined,
      wrong: `Bearer ${TOKEN.slice(0, -1)}X`,
      shorter: `Bearer ${TOKEN.slice(0, 5)}`,
      longer: `Bearer ${TOKEN}extra`,
      lowercase: `bearer ${TOKEN}`,
      basic: `Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}`,
      twoSpaces: `Bearer  ${TOKEN}`,
      trailing: `Bearer ${TOKEN} x`,
    };
    for (const [name, header] of Object.entries(attempts)) {
      const res = await fetch(`${base}/v1/x`, { headers: header ? { authorization: header } : {} });
      expect(res.status, name).toBe(401);
      expect(res.headers.get("www-authenticate"), name).toMatch(/^Bearer/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unauthorized");
      expect(JSON.stringify(body)).not.toContain(TOKEN);
    }
  });

  it("lets exempt requests through without a token", async () => {
    const base = await serve(bearerAuth({ token: TOKEN, exempt: (req) => req.url === "/health" }));
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(401);
    expect((await fetch(`${base}/health/../v1`)).status).toBe(401);
  });

  it("refuses to be created without a real token", () => {
    expect(() => bearerAuth({ token: "" })).toThrow(/at least 16/);
    expect(() => bearerAuth({ token: "short" })).toThrow(/at least 16/);
  });

  it("rate-limits failures per client address with 429 + Retry-After, and audits them without the token", async () => {
    const dir = tempDir();
    const audit = await AuditLog.open({ dir, fsync: "never" });
    const auth = bearerAuth({ token: TOKEN, audit, rateLimit: { maxFailures: 3, windowMs: 60_000 } });
    const base = await serve(auth);
    const guess = "Bearer guess-guess-guess-guess";
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${base}/v1/a?q=1`, { headers: { authorization: guess } })).status).toBe(401);
    }
    const limited = await fetch(`${base}/v1/a`, { headers: { authorization: guess } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await fetch(`${base}/v1/b`)).status).toBe(429);
    auth.flushAudit();
    const { records } = await audit.query({});
    // The first failure is written at once, the rest of the window as one summary with counts.
    expect(records.filter((r) => r.action === "auth.failure")).toHaveLength(1);
    expect(records[0]).toMatchObject({ actor: "client:127.0.0.1", resource: "GET /v1/a", outcome: "denied" });
    const summary = records.find((r) => r.action === "auth.failures");
    expect(summary?.details).toMatchObject({ count: 4, reasons: { invalid: 2, rate_limited: 2 } });
    expect(summary?.resource).toBe("GET /v1/a, GET /v1/b");
    const raw = fs.readFileSync(path.join(dir, "audit.jsonl"), "utf8");
    expect(raw).not.toContain("guess-guess");
    expect(raw).not.toContain(TOKEN);
    await audit.close();
  });

  it("never refuses the valid token, even while its address is locked out", async () => {
    const base = await serve(bearerAuth({ token: TOKEN, rateLimit: { maxFailures: 3, windowMs: 60_000 } }));
    for (let i = 0; i < 10; i++) expect([401, 429]).toContain((await fetch(`${base}/v1/a`)).status);
    expect((await fetch(`${base}/v1/a`)).status).toBe(429);
    const valid = await fetch(`${base}/v1/a`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(valid.status).toBe(200);
    expect((await fetch(`${base}/v1/a`, { headers: { authorization: "Bearer nope-nope" } })).status).toBe(
      429,
    );
  });

  it("aggregates a flood of failures into a bounded number of audit records per address", async () => {
    const dir = tempDir();
    const audit = await AuditLog.open({ dir, fsync: "never" });
    const auth = bearerAuth({
      token: TOKEN,
      audit,
      rateLimit: { maxFailures: 1_000, windowMs: 60_000 },
      clientAddress: (req) => String(req.headers["x-test-client"]),
    });
    const base = await serve(auth);
    for (let i = 0; i < 100; i++) {
      await fetch(`${base}/v1/x${i}`, { headers: { "x-test-client": i % 2 ? "a" : "b" } });
    }
    auth.flushAudit();
    const { records } = await audit.query({});
    expect(records).toHaveLength(4);
    const counted = records.reduce(
      (n, r) => n + (r.action === "auth.failures" ? (r.details.count as number) : 1),
      0,
    );
    expect(counted).toBe(100);
    await audit.close();
  });

  it("counts failures per client address (as given by clientAddress)", async () => {
    const base = await serve(
      bearerAuth({
        token: TOKEN,
        rateLimit: { maxFailures: 2, windowMs: 60_000 },
        clientAddress: (req) => String(req.headers["x-test-client"]),
      }),
    );
    const attempt = (client: string) => fetch(`${base}/x`, { headers: { "x-test-client": client } });
    expect((await attempt("a")).status).toBe(401);
    expect((await attempt("a")).status).toBe(401);
    expect((await attempt("a")).status).toBe(429);
    expect((await attempt("b")).status).toBe(401);
  });

  it("compares tokens by digest so different lengths are handled", () => {
    expect(tokensEqual("a", "a")).toBe(true);
    expect(tokensEqual("a", "ab")).toBe(false);
    expect(tokensEqual("", "x".repeat(1000))).toBe(false);
  });
});

describe("resolveAuthToken", () => {
  it("prefers CODETETHER_AUTH_TOKEN", async () => {
    const dir = tempDir();
    const got = await resolveAuthToken({ env: { CODETETHER_AUTH_TOKEN: TOKEN }, dataDir: dir });
    expect(got).toEqual({ token: TOKEN, source: "env" });
    await expect(resolveAuthToken({ env: { CODETETHER_AUTH_TOKEN: "weak" }, dataDir: dir })).rejects.toThrow(
      /at least 16/,
    );
  });

  it("generates a 256-bit token once, stores it 0600 and reuses it", async () => {
    const dir = path.join(tempDir(), "nested");
    const first = await resolveAuthToken({ env: {}, dataDir: dir });
    expect(first.source).toBe("generated");
    expect(Buffer.from(first.token, "base64url")).toHaveLength(32);
    expect(fs.statSync(first.file!).mode & 0o777).toBe(0o600);
    const second = await resolveAuthToken({ env: {}, dataDir: dir });
    expect(second).toEqual({ token: first.token, source: "file", file: first.file });
    expect(fs.readdirSync(dir)).toEqual(["auth-token"]);
  });

  it("concurrent first starts agree on one token, and a loose file mode is tightened", async () => {
    const dir = tempDir();
    const results = await Promise.all([1, 2, 3, 4].map(() => resolveAuthToken({ env: {}, dataDir: dir })));
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    fs.chmodSync(path.join(dir, "auth-token"), 0o644);
    await resolveAuthToken({ env: {}, dataDir: dir });
    expect(fs.statSync(path.join(dir, "auth-token")).mode & 0o777).toBe(0o600);
  });

  it("rejects a corrupt token file with a clear error", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "auth-token"), "x\n", { mode: 0o600 });
    await expect(resolveAuthToken({ env: {}, dataDir: dir })).rejects.toThrow(/delete it to generate/);
  });
});
