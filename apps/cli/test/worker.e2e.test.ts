import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, makeSandbox } from "./helpers.js";

interface Call {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown> | undefined;
}

/** A minimal CodeTether platform (worker endpoints: register, pending poll, task stream, claim, output, release). */
async function startPlatform(pending: Array<Record<string, unknown>>) {
  const calls: Call[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      calls.push({
        path: url.pathname,
        auth: req.headers.authorization,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
      });
      if (url.pathname === "/v1/worker/tasks/stream") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": connected\n\n");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      if (url.pathname === "/v1/opencode/tasks") res.end(JSON.stringify({ tasks: pending.splice(0) }));
      else res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  children = [];
});

function start(args: string[], env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function until(check: () => boolean, what: string, ms = 20_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("codetether worker (built binary)", () => {
  it("--a2a-url forwards a platform task to an A2A agent (serve --a2a-conformance) and releases the result", async () => {
    const box = await makeSandbox();
    const serve = start(["serve", "--a2a-conformance", "--port", "0"], box.env, box.work);
    await until(() => /Bearer token: \S+/.test(serve.out()), "serve to start");
    const agentUrl = /listening on (\S+)/.exec(serve.out())?.[1] ?? "";
    const agentToken = /Bearer token: (\S+)/.exec(serve.out())?.[1] ?? "";
    const platform = await startPlatform([{ id: "task-1", prompt: "hello worker" }]);
    try {
      const worker = start(
        [
          "worker",
          "--server",
          platform.url,
          "--token",
          "platform-token",
          "--name",
          "e2e-worker",
          "--a2a-url",
          agentUrl,
          "--a2a-token",
          agentToken,
        ],
        { ...box.env, CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "false" },
        box.work,
      );
      await until(() => platform.calls.some((c) => c.path === "/v1/worker/tasks/release"), "release");
      const release = platform.calls.find((c) => c.path === "/v1/worker/tasks/release");
      expect(release?.body).toMatchObject({
        task_id: "task-1",
        status: "completed",
        result: "Echo: hello worker",
      });
      expect(platform.calls.find((c) => c.path === "/v1/opencode/workers/register")?.body).toMatchObject({
        name: "e2e-worker",
      });
      expect(platform.calls.every((c) => c.auth === "Bearer platform-token")).toBe(true);
      expect(worker.out()).toContain("connecting to");
      // The platform token is never printed.
      expect(worker.out() + worker.err()).not.toContain("platform-token");
      worker.child.kill("SIGINT");
      expect(await worker.exited).toBe(0);
    } finally {
      await platform.close();
      serve.child.kill("SIGINT");
      await serve.exited;
    }
  });
  it("--a2a-binding grpc forwards a platform task to the agent over gRPC", async () => {
    const box = await makeSandbox();
    const serve = start(["serve", "--a2a-conformance", "--port", "0"], box.env, box.work);
    await until(() => /Bearer token: \S+/.test(serve.out()), "serve to start");
    const agentUrl = /listening on (\S+)/.exec(serve.out())?.[1] ?? "";
    const agentToken = /Bearer token: (\S+)/.exec(serve.out())?.[1] ?? "";
    const platform = await startPlatform([{ id: "task-g", prompt: "hello grpc worker" }]);
    try {
      const worker = start(
        [
          "worker",
          "--server",
          platform.url,
          "--token",
          "platform-token",
          "--a2a-url",
          agentUrl,
          "--a2a-token",
          agentToken,
          "--a2a-binding",
          "grpc",
        ],
        { ...box.env, CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "false" },
        box.work,
      );
      await until(() => platform.calls.some((c) => c.path === "/v1/worker/tasks/release"), "release");
      expect(platform.calls.find((c) => c.path === "/v1/worker/tasks/release")?.body).toMatchObject({
        task_id: "task-g",
        status: "completed",
        result: "Echo: hello grpc worker",
      });
      // It went over gRPC: the agent audited a gRPC call.
      const audit = (await (
        await fetch(`${agentUrl}/v1/audit/events?limit=1000`, {
          headers: { authorization: `Bearer ${agentToken}` },
        })
      ).json()) as { records: Array<{ action: string; resource: string }> };
      expect(
        audit.records.some(
          (r) => r.action === "api.call" && r.resource.startsWith("GRPC /lf.a2a.v1.A2AService/"),
        ),
      ).toBe(true);
      worker.child.kill("SIGINT");
      expect(await worker.exited).toBe(0);
    } finally {
      await platform.close();
      serve.child.kill("SIGINT");
      await serve.exited;
    }
  });
});
