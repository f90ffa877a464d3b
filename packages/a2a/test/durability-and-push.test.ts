import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { assertSafeWebhookUrl, isNonPublicAddress } from "../src/server/ssrf-guard.js";
import { startHarness, TOKEN } from "./helpers/harness.js";
import { expectSchema } from "./helpers/schema.js";
import type { Wire } from "./helpers/sse.js";
import { readSse } from "./helpers/sse.js";

const headers = {
  "content-type": "application/json",
  authorization: `Bearer ${TOKEN}`,
  "a2a-version": "1.0",
};
const msg = (text: string, extra: Record<string, unknown> = {}) => ({
  messageId: randomUUID(),
  role: "ROLE_USER",
  parts: [{ text }],
  ...extra,
});

async function rpc(url: string, method: string, params: unknown) {
  const res = await fetch(`${url}/a2a`, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await res.json()) as { result?: Wire; error?: Wire };
}

describe("durable task store", () => {
  it("tasks survive a restart and stay listable by context; running tasks are persisted as interrupted", async () => {
    const first = await startHarness();
    const contextId = randomUUID();
    const done = await rpc(first.url, "SendMessage", { message: msg("hello", { contextId }) });
    const running = await rpc(first.url, "SendMessage", {
      message: msg("slow job", { contextId }),
      configuration: { returnImmediately: true },
    });
    await first.close();

    const second = await startHarness({ dataDir: first.dataDir });
    try {
      const got = await rpc(second.url, "GetTask", { id: done.result.task.id });
      expect(got.result.status.state).toBe("TASK_STATE_COMPLETED");
      const list = await rpc(second.url, "ListTasks", { contextId });
      expect(list.result.tasks.map((t: Wire) => t.id).sort()).toEqual(
        [done.result.task.id, running.result.task.id].sort(),
      );
      const interrupted = await rpc(second.url, "GetTask", { id: running.result.task.id });
      expectSchema("Task", interrupted.result);
      expect(interrupted.result.status.state).toBe("TASK_STATE_FAILED");
      expect(interrupted.result.metadata["codetether.interrupted"]).toBe(true);
      expect(interrupted.result.status.message.parts[0].text).toMatch(/Interrupted/);
    } finally {
      await second.close();
    }
  });

  it("push configs survive a restart and are stored 0600 (they hold webhook credentials)", async () => {
    const first = await startHarness();
    const sent = await rpc(first.url, "SendMessage", { message: msg("hello") });
    const taskId = sent.result.task.id;
    const created = await rpc(first.url, "CreateTaskPushNotificationConfig", {
      taskId,
      url: "https://93.184.215.14/hook",
      authentication: { scheme: "Bearer", credentials: "webhook-secret" },
    });
    await first.close();
    const { statSync } = await import("node:fs");
    const file = `${first.dataDir}/a2a/push/${taskId}.json`;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await startHarness({ dataDir: first.dataDir });
    try {
      const got = await rpc(second.url, "GetTaskPushNotificationConfig", { taskId, id: created.result.id });
      expectSchema("TaskPushNotificationConfig", got.result);
      expect(got.result.authentication).toEqual({ scheme: "Bearer", credentials: "webhook-secret" });
      await rpc(second.url, "DeleteTaskPushNotificationConfig", { taskId, id: created.result.id });
      const list = await rpc(second.url, "ListTaskPushNotificationConfigs", { taskId });
      expect(list.result.configs ?? []).toHaveLength(0);
    } finally {
      await second.close();
    }
  });

  it("another caller cannot see or cancel a task (not found, not forbidden)", async () => {
    const h = await startHarness();
    try {
      const sent = await rpc(h.url, "SendMessage", { message: msg("hello") });
      const other = await h.service.taskStore.load(sent.result.task.id, {
        tenant: undefined,
        user: { isAuthenticated: true, userName: "someone-else" },
      } as never);
      expect(other).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});

describe("push notifications", () => {
  it("delivers StreamResponse bodies with the configured Authorization to an allowed local webhook", async () => {
    const received: Array<{ auth: string | undefined; type: string | undefined; body: Wire }> = [];
    const hook = http.createServer((req, res) => {
      let data = "";
      req.on("data", (c) => {
        data += c;
      });
      req.on("end", () => {
        received.push({
          auth: req.headers.authorization,
          type: req.headers["content-type"],
          body: JSON.parse(data),
        });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const h = await startHarness({ push: { allowPrivateNetworks: true } });
    try {
      const sent = await rpc(h.url, "SendMessage", {
        message: msg("slow job"),
        configuration: {
          returnImmediately: true,
          taskPushNotificationConfig: {
            url: hookUrl,
            authentication: { scheme: "Bearer", credentials: "hook-secret" },
          },
        },
      });
      const id = sent.result.task.id;
      await rpc(h.url, "CancelTask", { id });
      for (
        let i = 0;
        i < 100 && !received.some((r) => r.body.statusUpdate?.status.state === "TASK_STATE_CANCELED");
        i++
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(received.length).toBeGreaterThan(0);
      for (const r of received) {
        expect(r.auth).toBe("Bearer hook-secret");
        expect(r.type).toMatch(/application\/a2a\+json/);
        expectSchema("StreamResponse", r.body);
      }
      expect(received.some((r) => r.body.statusUpdate?.status.state === "TASK_STATE_CANCELED")).toBe(true);
    } finally {
      await h.close();
      hook.close();
    }
  });

  it("SSRF guard: non-public addresses, DNS names resolving to them, credentials in URLs and CRLF tokens", async () => {
    for (const ip of [
      "127.0.0.1",
      "10.0.0.1",
      "172.16.5.5",
      "192.168.1.1",
      "169.254.169.254",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
    ]) {
      expect(isNonPublicAddress(ip), ip).toBe(true);
    }
    expect(isNonPublicAddress("93.184.215.14")).toBe(false);
    await expect(
      assertSafeWebhookUrl("https://rebind.example/hook", {
        lookup: async () => ["93.184.215.14", "127.0.0.1"],
      }),
    ).rejects.toThrow(/127\.0\.0\.1/);
    await expect(assertSafeWebhookUrl("https://user:pw@93.184.215.14/")).rejects.toThrow(/credentials/);
    await expect(assertSafeWebhookUrl("ftp://93.184.215.14/")).rejects.toThrow(/https/);
    await expect(assertSafeWebhookUrl("http://127.0.0.1/", { allowPrivateNetworks: true })).resolves.toEqual([
      "127.0.0.1",
    ]);
    const h = await startHarness();
    try {
      const sent = await rpc(h.url, "SendMessage", { message: msg("hello") });
      const bad = await rpc(h.url, "CreateTaskPushNotificationConfig", {
        taskId: sent.result.task.id,
        url: "https://93.184.215.14/hook",
        authentication: { scheme: "Bearer", credentials: "x\r\nX-Injected: 1" },
      });
      expect(bad.error.code).toBe(-32602);
    } finally {
      await h.close();
    }
  });
});

describe("SSE keep-alive", () => {
  it("idle SubscribeToTask streams receive ': keep-alive' comments", async () => {
    const h = await startHarness({ keepAliveMs: 30 });
    try {
      const sent = await rpc(h.url, "SendMessage", {
        message: msg("slow job"),
        configuration: { returnImmediately: true },
      });
      const res = await fetch(`${h.url}/a2a`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 3,
          method: "SubscribeToTask",
          params: { id: sent.result.task.id },
        }),
      });
      let comments = 0;
      for await (const e of readSse(res)) {
        if (e.comment) comments++;
        if (comments >= 2) break;
      }
      expect(comments).toBe(2);
      await rpc(h.url, "CancelTask", { id: sent.result.task.id });
    } finally {
      await h.close();
    }
  });
});
