import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { startCli, until } from "./cli-process.js";
import { makeSandbox } from "./helpers.js";
import { startPlatform } from "./platform-fake.js";

let children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  children = [];
});

const start = (args: string[], env: Record<string, string>, cwd: string) =>
  startCli(args, env, cwd, children);

/** The A2A agent the worker forwards to: `serve --a2a-conformance`, with the URL and token it printed. */
async function startAgent(env: Record<string, string>, cwd: string) {
  const serve = start(["serve", "--a2a-conformance", "--port", "0"], env, cwd);
  await until(() => /Bearer token: \S+/.test(serve.out()), "serve to start");
  const agentUrl = /listening on (\S+)/.exec(serve.out())?.[1] ?? "";
  const agentToken = /Bearer token: (\S+)/.exec(serve.out())?.[1] ?? "";
  return { serve, agentUrl, agentToken };
}

/**
 * `codetether worker` polling the fake platform at `platformUrl` (token `platform-token`) and forwarding its tasks
 * to the A2A `agent`; `extra` are further flags.
 */
function startForwardingWorker(
  box: { work: string; env: Record<string, string> },
  platformUrl: string,
  agent: { agentUrl: string; agentToken: string },
  extra: string[],
) {
  return start(
    [
      "worker",
      "--server",
      platformUrl,
      "--token",
      "platform-token",
      "--a2a-url",
      agent.agentUrl,
      "--a2a-token",
      agent.agentToken,
      ...extra,
    ],
    { ...box.env, CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "false" },
    box.work,
  );
}

/** The body of the platform's first task release, once the worker sent it (on a timeout: what each side saw). */
async function released(
  platform: { calls: Array<{ path: string; body?: unknown }> },
  worker: { out(): string; err(): string },
) {
  await until(
    () => platform.calls.some((c) => c.path === "/v1/worker/tasks/release"),
    "release",
    () =>
      `platform calls: ${platform.calls.map((c) => c.path).join(", ")}\nworker stdout: ${worker.out()}\nworker stderr: ${worker.err()}`,
  );
  return platform.calls.find((c) => c.path === "/v1/worker/tasks/release")?.body;
}

describe("codetether worker (built binary)", () => {
  it("--a2a-url forwards a platform task to an A2A agent (serve --a2a-conformance) and releases the result", async () => {
    const box = await makeSandbox();
    const { serve, agentUrl, agentToken } = await startAgent(box.env, box.work);
    const platform = await startPlatform([{ id: "task-1", prompt: "hello worker" }]);
    try {
      const worker = startForwardingWorker(box, platform.url, { agentUrl, agentToken }, [
        "--name",
        "e2e-worker",
      ]);
      expect(await released(platform, worker)).toMatchObject({
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
    const { serve, agentUrl, agentToken } = await startAgent(box.env, box.work);
    const platform = await startPlatform([{ id: "task-g", prompt: "hello grpc worker" }]);
    try {
      const worker = startForwardingWorker(box, platform.url, { agentUrl, agentToken }, [
        "--a2a-binding",
        "grpc",
      ]);
      expect(await released(platform, worker)).toMatchObject({
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
