import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TOKEN, useHarness } from "./helpers/harness.js";
import { expectSchema } from "./helpers/schema.js";
import type { Wire } from "./helpers/sse.js";
import { sseJson } from "./helpers/sse.js";

const h = useHarness();

const headers = {
  "content-type": "application/a2a+json",
  authorization: `Bearer ${TOKEN}`,
  "a2a-version": "1.0",
};

function msg(text: string, extra: Record<string, unknown> = {}) {
  return { messageId: randomUUID(), role: "ROLE_USER", parts: [{ text }], ...extra };
}

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.url}/a2a/rest${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    json: text ? JSON.parse(text) : undefined,
  };
}

describe("HTTP+JSON/REST binding (spec §11, raw HTTP)", () => {
  it("POST /message:send returns {task} completed and schema-valid", async () => {
    const r = await call("POST", "/message:send", { message: msg("hello") });
    expect(r.status).toBe(200);
    expectSchema("SendMessageResponse", r.json);
    expect(r.json.task.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("GET /tasks/{id}, GET /tasks?contextId=, 404 with ErrorInfo for unknown ids", async () => {
    const contextId = randomUUID();
    const sent = await call("POST", "/message:send", { message: msg("hello", { contextId }) });
    const id = sent.json.task.id;
    const got = await call("GET", `/tasks/${id}?historyLength=1`);
    expectSchema("Task", got.json);
    expect(got.json.history).toHaveLength(1);
    const list = await call(
      "GET",
      `/tasks?contextId=${contextId}&status=TASK_STATE_COMPLETED&includeArtifacts=true`,
    );
    expectSchema("ListTasksResponse", list.json);
    expect(list.json.tasks.map((t: { id: string }) => t.id)).toEqual([id]);
    expect(list.json.tasks[0].artifacts.length).toBeGreaterThan(0);
    const missing = await call("GET", "/tasks/does-not-exist");
    expect(missing.status).toBe(404);
    expect(missing.type).toMatch(/application\/(a2a\+)?json/);
    expect(JSON.stringify(missing.json)).toContain("TASK_NOT_FOUND");
  });

  it("POST /message:stream streams bare StreamResponse objects over SSE", async () => {
    const res = await fetch(`${h.url}/a2a/rest/message:stream`, {
      method: "POST",
      headers: { ...headers, accept: "text/event-stream" },
      body: JSON.stringify({ message: msg("hello") }),
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await sseJson(res)) as Array<Record<string, Wire>>;
    for (const e of events) expectSchema("StreamResponse", e);
    expect(Object.keys(events[0]!)).toEqual(["task"]);
    expect(events[events.length - 1]!.statusUpdate.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("POST /tasks/{id}:cancel cancels; cancel of a completed task is 400 (spec 1.0.1)", async () => {
    const sent = await call("POST", "/message:send", {
      message: msg("slow job"),
      configuration: { returnImmediately: true },
    });
    const canceled = await call("POST", `/tasks/${sent.json.task.id}:cancel`, {});
    expect(canceled.status).toBe(200);
    expect(canceled.json.status.state).toBe("TASK_STATE_CANCELED");
    const done = await call("POST", "/message:send", { message: msg("hello") });
    const refused = await call("POST", `/tasks/${done.json.task.id}:cancel`, {});
    expect([400, 409]).toContain(refused.status);
    expect(JSON.stringify(refused.json)).toContain("TASK_NOT_CANCELABLE");
  });

  it("GET and POST /tasks/{id}:subscribe start with the current task", async () => {
    for (const method of ["GET", "POST"]) {
      const sent = await call("POST", "/message:send", {
        message: msg("slow job"),
        configuration: { returnImmediately: true },
      });
      const id = sent.json.task.id;
      const res = await fetch(`${h.url}/a2a/rest/tasks/${id}:subscribe`, { method, headers });
      const pending = sseJson(res);
      await new Promise((r) => setTimeout(r, 30));
      await call("POST", `/tasks/${id}:cancel`, {});
      const events = (await pending) as Array<Record<string, Wire>>;
      expect(events[0]!.task.id).toBe(id);
      expect(events[events.length - 1]!.statusUpdate.status.state).toBe("TASK_STATE_CANCELED");
    }
  });

  it("push config CRUD over REST, SSRF guard on private ranges", async () => {
    const sent = await call("POST", "/message:send", { message: msg("hello") });
    const taskId = sent.json.task.id;
    for (const url of [
      "http://10.1.2.3/x",
      "http://169.254.169.254/latest",
      "http://[::1]:80/",
      "http://localhost/x",
    ]) {
      const refused = await call("POST", `/tasks/${taskId}/pushNotificationConfigs`, { url });
      expect(refused.status, url).toBe(400);
    }
    const created = await call("POST", `/tasks/${taskId}/pushNotificationConfigs`, {
      url: "https://93.184.215.14/hook",
    });
    expect([200, 201]).toContain(created.status);
    expectSchema("TaskPushNotificationConfig", created.json);
    const list = await call("GET", `/tasks/${taskId}/pushNotificationConfigs`);
    expect(list.json.configs).toHaveLength(1);
    const got = await call("GET", `/tasks/${taskId}/pushNotificationConfigs/${created.json.id}`);
    expect(got.json.id).toBe(created.json.id);
    const del = await call("DELETE", `/tasks/${taskId}/pushNotificationConfigs/${created.json.id}`);
    expect([200, 204]).toContain(del.status);
    const after = await call("GET", `/tasks/${taskId}/pushNotificationConfigs`);
    expect(after.json.configs ?? []).toHaveLength(0);
  });

  it("GET /extendedAgentCard returns the card; bad JSON body is a 400", async () => {
    const card = await call("GET", "/extendedAgentCard");
    expectSchema("AgentCard", card.json);
    const bad = await fetch(`${h.url}/a2a/rest/message:send`, { method: "POST", headers, body: "{oops" });
    expect(bad.status).toBe(400);
  });
});

describe("REST edge cases", () => {
  it("SubscribeToTask on a terminal task is UnsupportedOperation (400), oversized bodies 413", async () => {
    const sent = await call("POST", "/message:send", { message: msg("hello") });
    const sub = await call("GET", `/tasks/${sent.json.task.id}:subscribe`);
    expect(sub.status).toBe(400);
    expect(JSON.stringify(sub.json)).toContain("UNSUPPORTED_OPERATION");
    const big = await fetch(`${h.url}/a2a/rest/message:send`, {
      method: "POST",
      headers,
      body: JSON.stringify({ message: msg("x".repeat(100 * 1024)) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as Wire).error.message).toMatch(/limit/);
  });

  it("v0.3 REST paths (/v1/message:send) without A2A-Version get v0.3 shapes", async () => {
    const { "a2a-version": _drop, ...v03 } = headers;
    const res = await fetch(`${h.url}/a2a/rest/v1/message:send`, {
      method: "POST",
      headers: { ...v03, "content-type": "application/json" },
      body: JSON.stringify({
        // The v0.3 HTTP+JSON binding is ProtoJSON of the v0.3 proto: `content` parts, ROLE_ enums.
        message: { messageId: randomUUID(), role: "ROLE_USER", content: [{ text: "hello" }] },
      }),
    });
    const body = (await res.json()) as Wire;
    expect([200, 201], JSON.stringify(body)).toContain(res.status);
    const task = body.task ?? body;
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.status.message.content[0].text).toBe("Hello from codetether"); // v0.3 proto shape
  });
});
