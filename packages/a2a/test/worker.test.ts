import { defineTool, type Provider, type StreamChunk, sleep, ToolRegistry } from "@codetether/core";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { runWorker, type WorkerHandle } from "../src/worker/run-worker.js";
import { a2aForwardRunner, limitToolsByAutoApprove, localAgentRunner } from "../src/worker/task-runners.js";
import { cognitionShareConfig } from "../src/worker/worker-config.js";
import { FakePlatform } from "./helpers/fake-platform.js";
import { startHarness, TOKEN } from "./helpers/harness.js";

const provider: Provider = {
  id: "scripted",
  async listModels() {
    return [];
  },
  async *stream(request): AsyncIterable<StreamChunk> {
    const last = request.messages[request.messages.length - 1];
    const text = last?.content.map((p) => (p.type === "text" ? p.text : "")).join("") ?? "";
    yield { type: "text-delta", text: `done: ${text}` };
    yield { type: "finish", reason: "stop" };
  },
};

async function until(check: () => boolean, what: string, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let platform: FakePlatform | undefined;
let worker: WorkerHandle | undefined;
let cognitionSource: import("node:http").Server | undefined;
afterEach(async () => {
  await worker?.stop();
  await platform?.stop();
  cognitionSource?.close();
  worker = undefined;
  platform = undefined;
});

/** A stand-in for the local `codetether serve` cognition routes (bearer required). */
async function startCognitionSource(token: string): Promise<string> {
  const app = express();
  app.use((req, res, next) =>
    req.headers.authorization === `Bearer ${token}` ? next() : res.status(401).end(),
  );
  app.get("/v1/cognition/status", (_req, res) => {
    res.json({
      enabled: true,
      running: true,
      loop_interval_ms: 2000,
      last_tick_at: "2026-01-01T00:00:00.000Z",
      persona_count: 1,
      active_persona_count: 1,
      events_buffered: 7,
      snapshots_buffered: 1,
      latest_thought: "x".repeat(1000),
      latest_thought_model: "scripted/m",
      latest_thought_source: "root-thinker",
    });
  });
  app.get("/v1/cognition/snapshots/latest", (_req, res) => {
    res.json({
      id: "s1",
      generated_at: "2026-01-01T00:00:01.000Z",
      persona_scope: [],
      summary: "s",
      hot_event_count: 0,
      warm_fact_count: 0,
      cold_snapshot_count: 0,
      metadata: {},
    });
  });
  cognitionSource = app.listen(0, "127.0.0.1");
  await new Promise((r) => cognitionSource!.once("listening", r));
  return `http://127.0.0.1:${(cognitionSource.address() as import("node:net").AddressInfo).port}`;
}

describe("platform worker against a local fake platform", () => {
  it("registers, polls, claims, streams output, releases; heartbeats carry cognition; 409 = skip", async () => {
    platform = new FakePlatform();
    await platform.start();
    platform.pending.push({ id: "t-pending", title: "pending", prompt: "fix the bug" });
    platform.takenByOthers.add("t-taken");
    const source = await startCognitionSource("local-serve-token-123456");
    worker = runWorker({
      server: platform.url,
      token: "platform-token",
      name: "w1",
      codebases: ["/repo"],
      runner: localAgentRunner({ provider, model: "m", cwd: "/tmp", autoApprove: "safe" }),
      heartbeatMs: 60_000,
      env: {
        CODETETHER_WORKER_COGNITION_SOURCE_URL: source,
        CODETETHER_WORKER_COGNITION_TOKEN: "local-serve-token-123456",
        CODETETHER_WORKER_COGNITION_THOUGHT_MAX_CHARS: "100",
      },
    });
    await until(
      () => platform!.callsTo("/v1/worker/tasks/release").length === 1,
      "release of the pending task",
    );
    const register = platform.callsTo("/v1/opencode/workers/register")[0]!;
    expect(register.body).toMatchObject({ worker_id: worker.workerId, name: "w1", codebases: ["/repo"] });
    expect(register.body?.capabilities).toEqual(expect.arrayContaining(["a2a"]));
    expect(worker.workerId).toMatch(/^wrk_\d+_[0-9a-f]{16}$/);
    for (const call of platform.calls) expect(call.auth).toBe("Bearer platform-token");

    const stream = platform.callsTo("/v1/worker/tasks/stream")[0]!;
    expect(stream.path).toContain(`worker_id=${worker.workerId}`);
    expect(stream.headers["x-worker-id"]).toBe(worker.workerId);
    expect(stream.headers["x-agent-name"]).toBe("w1");
    expect(stream.headers["x-codebases"]).toBe("/repo");

    const heartbeat = platform.callsTo(`/v1/opencode/workers/${worker.workerId}/heartbeat`)[0]!;
    expect(heartbeat.body).toMatchObject({
      worker_id: worker.workerId,
      agent_name: "w1",
      status: "idle",
      active_task_count: 0,
    });
    const cognition = heartbeat.body?.cognition as Record<string, unknown>;
    expect(cognition).toMatchObject({
      running: true,
      active_persona_count: 1,
      events_buffered: 7,
      loop_interval_ms: 2000,
      latest_snapshot_at: "2026-01-01T00:00:01.000Z",
      latest_thought_source: "root-thinker",
    });
    expect(String(cognition.latest_thought).length).toBe(100);

    expect(platform.callsTo("/v1/worker/tasks/claim")[0]!.body).toEqual({ task_id: "t-pending" });
    const output = platform.callsTo("/v1/opencode/tasks/t-pending/output");
    expect(output.map((c) => c.body?.output).join("")).toBe("done: fix the bug");
    expect(output[0]!.body?.worker_id).toBe(worker.workerId);
    expect(platform.callsTo("/v1/worker/tasks/release")[0]!.body).toMatchObject({
      task_id: "t-pending",
      status: "completed",
      result: "done: fix the bug",
    });

    // A task over the stream that someone else already claimed is skipped; the next one runs.
    await until(() => platform!.connectedStreams === 1, "stream connection");
    platform.push({ id: "t-taken", prompt: "x" });
    platform.push({ task: { id: "t-stream", description: "from the stream" } });
    await until(
      () => platform!.callsTo("/v1/worker/tasks/release").length === 2,
      "release of the streamed task",
    );
    const releases = platform.callsTo("/v1/worker/tasks/release").map((c) => c.body?.task_id);
    expect(releases).toEqual(["t-pending", "t-stream"]);
    expect(platform.callsTo("/v1/opencode/tasks/t-taken/output")).toHaveLength(0);
  });

  it("reconnects after the platform restarts, re-registers and keeps receiving tasks", async () => {
    platform = new FakePlatform();
    await platform.start();
    worker = runWorker({
      server: platform.url,
      runner: localAgentRunner({ provider, model: "m", cwd: "/tmp", autoApprove: "none" }),
      reconnectBaseMs: 20,
      reconnectMaxMs: 50,
      env: { CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "false" },
    });
    await until(() => platform!.connectedStreams === 1, "first stream");
    const port = platform.port;
    await platform.stop();
    const calls = platform.calls.length;
    await sleep(100); // the platform is down; the worker retries with backoff
    platform.calls = [];
    await platform.start(port);
    await until(() => platform!.connectedStreams === 1, "stream after restart");
    expect(calls).toBeGreaterThan(0);
    expect(platform.callsTo("/v1/opencode/workers/register")).toHaveLength(1);
    expect(platform.callsTo("/v1/opencode/workers/")[1]?.body?.cognition).toBeUndefined();
    platform.push({ id: "after-restart", prompt: "hello again" });
    await until(() => platform!.callsTo("/v1/worker/tasks/release").length === 1, "release after restart");
    expect(platform.callsTo("/v1/worker/tasks/release")[0]!.body).toMatchObject({ status: "completed" });
  });

  it("omits cognition from heartbeats for a while after the platform rejects it", async () => {
    platform = new FakePlatform();
    platform.rejectCognition = true;
    await platform.start();
    const source = await startCognitionSource("tok-tok-tok-tok-tok");
    worker = runWorker({
      server: platform.url,
      runner: localAgentRunner({ provider, model: "m", cwd: "/tmp", autoApprove: "none" }),
      heartbeatMs: 20,
      env: { CODETETHER_WORKER_COGNITION_SOURCE_URL: source, CODETETHER_AUTH_TOKEN: "tok-tok-tok-tok-tok" },
    });
    await until(
      () =>
        platform!.callsTo("/v1/opencode/workers/").filter((c) => c.path.endsWith("/heartbeat")).length >= 4,
      "heartbeats",
    );
    const beats = platform.calls.filter((c) => c.path.endsWith("/heartbeat"));
    expect(beats[0]!.body?.cognition).toBeDefined();
    expect(beats.slice(1).every((b) => b.body?.cognition === undefined)).toBe(true);
  });

  it("a failing task is released as failed with the error", async () => {
    platform = new FakePlatform();
    await platform.start();
    platform.pending.push({ id: "empty" });
    worker = runWorker({
      server: platform.url,
      runner: localAgentRunner({ provider, model: "m", cwd: "/tmp", autoApprove: "none" }),
      env: { CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "0" },
    });
    await until(() => platform!.callsTo("/v1/worker/tasks/release").length === 1, "release");
    expect(platform.callsTo("/v1/worker/tasks/release")[0]!.body).toMatchObject({
      task_id: "empty",
      status: "failed",
    });
    expect(String(platform.callsTo("/v1/worker/tasks/release")[0]!.body?.error)).toMatch(/no prompt/);
  });
});

describe("worker configuration and tool limits", () => {
  it("reads the cognition-share variables with defaults and rejects bad values by name", () => {
    expect(cognitionShareConfig({})).toEqual({
      enabled: true,
      sourceUrl: "http://127.0.0.1:4096",
      includeThoughts: true,
      thoughtMaxChars: 480,
      timeoutMs: 2500,
    });
    expect(() => cognitionShareConfig({ CODETETHER_WORKER_COGNITION_TIMEOUT_MS: "soon" })).toThrow(
      /CODETETHER_WORKER_COGNITION_TIMEOUT_MS/,
    );
    expect(() => cognitionShareConfig({ CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "maybe" })).toThrow(
      /SHARE_ENABLED/,
    );
  });

  it("--auto-approve limits the tools an unattended worker may use", () => {
    const mk = (id: string, kind: "read" | "write" | "exec" | "network") =>
      defineTool({
        id,
        description: id,
        kind,
        parameters: z.object({}),
        execute: async () => ({ output: "" }),
      });
    const all = new ToolRegistry().register(
      mk("read", "read"),
      mk("write", "write"),
      mk("bash", "exec"),
      mk("webfetch", "network"),
    );
    expect(limitToolsByAutoApprove(all, "all").ids().sort()).toEqual(["bash", "read", "webfetch", "write"]);
    expect(limitToolsByAutoApprove(all, "safe").ids()).toEqual(["read"]);
    expect(limitToolsByAutoApprove(all, "none").ids()).toEqual(["read"]);
  });
});

describe("generic mode: forwarding tasks to any A2A agent", () => {
  it("runs platform tasks on an A2A server and relays its streamed reply", async () => {
    const agent = await startHarness();
    platform = new FakePlatform();
    await platform.start();
    platform.pending.push({ id: "via-a2a", prompt: "hello" });
    try {
      worker = runWorker({
        server: platform.url,
        runner: a2aForwardRunner({ url: agent.url, token: TOKEN }),
        env: { CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "false" },
      });
      await until(() => platform!.callsTo("/v1/worker/tasks/release").length === 1, "release");
      expect(platform.callsTo("/v1/worker/tasks/release")[0]!.body).toMatchObject({
        status: "completed",
        result: "Hello from codetether",
      });
      expect(
        platform
          .callsTo("/v1/opencode/tasks/via-a2a/output")
          .map((c) => c.body?.output)
          .join(""),
      ).toBe("Hello from codetether");
    } finally {
      await worker?.stop();
      worker = undefined;
      await agent.close();
    }
  });
});

describe("runWorkerCommand", () => {
  it("validates usage and runs until the signal aborts", async () => {
    const { runWorkerCommand } = await import("../src/worker/worker-command.js");
    const err: string[] = [];
    const io = {
      stdout: { write: (c: string) => err.push(c) },
      stderr: { write: (c: string) => err.push(c) },
    };
    expect(await runWorkerCommand({ env: {} }, io)).toBe(2);
    expect(err.join("")).toMatch(/CODETETHER_SERVER/);
    expect(await runWorkerCommand({ server: "http://x", autoApprove: "yolo", env: {} }, io)).toBe(2);
    expect(await runWorkerCommand({ server: "http://x", env: {} }, io)).toBe(2);
    platform = new FakePlatform();
    await platform.start();
    const controller = new AbortController();
    const running = runWorkerCommand(
      {
        env: {
          CODETETHER_SERVER: platform.url,
          CODETETHER_TOKEN: "tkn",
          CODETETHER_WORKER_COGNITION_SHARE_ENABLED: "false",
        },
        provider,
        model: "m",
        signal: controller.signal,
      },
      io,
    );
    await until(() => platform!.connectedStreams === 1, "worker stream");
    expect(platform.calls[0]!.auth).toBe("Bearer tkn");
    controller.abort();
    expect(await running).toBe(0);
  });
});
