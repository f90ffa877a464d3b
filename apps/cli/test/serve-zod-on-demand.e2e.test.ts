// An idle `serve` never loads zod (issue 25: ~5 MB of its idle RSS). The CLI's own imports of zod resolve to a
// module that requires dist/zod.cjs on first use (scripts/zod-on-demand.ts); a --require probe reports that
// require, so a schema or an eager `z.…` anywhere on the start, /health or auth-failure path makes this fail.
import fs from "node:fs/promises";
import { expect, it } from "vitest";
import { makeSandbox } from "./helpers.js";
import { startServe, useServeCleanup, waitFor } from "./serve-helpers.js";
import { ZOD_LOADED, zodProbe } from "./zod-probe.js";

const TOKEN = "zod-on-demand-token-0123456789abcdef";
const { children } = useServeCleanup("SIGKILL");

it("serve starts, answers /health and refuses a bad token without loading zod; a validated request loads it", async () => {
  const box = await makeSandbox();
  const env = {
    ...box.env,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    CODETETHER_AUTH_TOKEN: TOKEN,
    NODE_OPTIONS: await zodProbe(box.dir),
  };
  const serve = await startServe(["--grpc-port", "0", "-m", "openai/gpt-4o"], env, box.work, children);

  expect((await fetch(`${serve.url}/health`)).status).toBe(200);
  const refused = await fetch(`${serve.url}/v1/sessions`, {
    headers: { authorization: "Bearer wrong-token" },
  });
  expect(refused.status).toBe(401);
  expect((await fetch(`${serve.url}/.well-known/agent-card.json`)).status).toBe(200);
  expect(serve.errors()).not.toContain(ZOD_LOADED);

  // The probe can fail: the audit API validates its query with a schema, which needs zod.
  const audit = await fetch(`${serve.url}/v1/audit/events?limit=1`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(audit.status).toBe(200);
  await waitFor(() => serve.errors().includes(ZOD_LOADED), 10_000, "zod.cjs to be required");
  await fs.rm(box.dir, { recursive: true, force: true });
});
