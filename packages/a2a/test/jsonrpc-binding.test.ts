import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TOKEN, useHarness } from "./helpers/harness.js";
import { expectSchema } from "./helpers/schema.js";
import type { Wire } from "./helpers/sse.js";
import { readSse, sseJson } from "./helpers/sse.js";

const h = useHarness();

const headers = {
  "content-type": "application/json",
  authorization: `Bearer ${TOKEN}`,
  "a2a-version": "1.0",
};

function userMessage(text: string, extra: Record<string, unknown> = {}) {
  return { messageId: randomUUID(), role: "ROLE_USER", parts: [{ text }], ...extra };
}

async function rpc(method: string, params: unknown, extraHeaders: Record<string, string> = {}) {
  const res = await fetch(`${h.url}/a2a`, {
    method: "POST",
    headers: { ...headers, ...extraHeaders },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return { status: res.status, body: (await res.json()) as { result?: Wire; error?: Wire; id: unknown } };
}

describe("JSON-RPC binding (spec §9, raw HTTP)", () => {
  it("SendMessage blocks until COMPLETED and returns a schema-valid task with the streamed artifact", async () => {
    const { status, body } = await rpc("SendMessage", { message: userMessage("hello") });
    expect(status).toBe(200);
    expect(body.id).toBe(1);
    expectSchema("SendMessageResponse", body.result);
    const task = body.result.task;
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.status.message.parts[0].text).toBe("Hello from codetether");
    const text = task.artifacts.flatMap((a: Wire) => a.parts.map((p: Wire) => p.text ?? "")).join("");
    expect(text).toBe("Hello from codetether");
    expect(task.contextId).toBeTruthy();
  });

  it("GetTask returns the task; historyLength 0 omits history; unknown id is -32001", async () => {
    const sent = await rpc("SendMessage", { message: userMessage("hello") });
    const id = sent.body.result.task.id;
    const got = await rpc("GetTask", { id });
    expectSchema("Task", got.body.result);
    expect(got.body.result.id).toBe(id);
    expect(got.body.result.history.length).toBeGreaterThan(0);
    const noHistory = await rpc("GetTask", { id, historyLength: 0 });
    expect(noHistory.body.result.history ?? []).toEqual([]);
    const missing = await rpc("GetTask", { id: "no-such-task" });
    expect(missing.body.error.code).toBe(-32001);
    expect(missing.body.error.data[0]["@type"]).toBe("type.googleapis.com/google.rpc.ErrorInfo");
    expect(missing.body.error.data[0].reason).toBe("TASK_NOT_FOUND");
  });

  it("ListTasks filters by contextId and validates against ListTasksResponse", async () => {
    const contextId = randomUUID();
    await rpc("SendMessage", { message: userMessage("hello", { contextId }) });
    await rpc("SendMessage", { message: userMessage("hello", { contextId }) });
    const list = await rpc("ListTasks", { contextId });
    expectSchema("ListTasksResponse", list.body.result);
    expect(list.body.result.tasks).toHaveLength(2);
    expect(list.body.result.totalSize).toBe(2);
    expect(list.body.result.tasks.every((t: Wire) => t.contextId === contextId)).toBe(true);
    const paged = await rpc("ListTasks", { contextId, pageSize: 1 });
    expect(paged.body.result.tasks).toHaveLength(1);
    expect(paged.body.result.nextPageToken).not.toBe("");
    const next = await rpc("ListTasks", {
      contextId,
      pageSize: 1,
      pageToken: paged.body.result.nextPageToken,
    });
    expect(next.body.result.tasks[0].id).not.toBe(paged.body.result.tasks[0].id);
    expect(next.body.result.nextPageToken).toBe("");
  });

  it("SendStreamingMessage: task first, then status/artifact events, each a JSON-RPC response; closes at COMPLETED", async () => {
    const res = await fetch(`${h.url}/a2a`, {
      method: "POST",
      headers: { ...headers, accept: "text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "SendStreamingMessage",
        params: { message: userMessage("hello") },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await sseJson(res)) as Wire[];
    for (const e of events) {
      expect(e.jsonrpc).toBe("2.0");
      expect(e.id).toBe(7);
      expectSchema("StreamResponse", e.result);
    }
    expect(Object.keys(events[0].result)).toEqual(["task"]);
    const states = events.filter((e) => e.result.statusUpdate).map((e) => e.result.statusUpdate.status.state);
    expect(states).toEqual(["TASK_STATE_WORKING", "TASK_STATE_COMPLETED"]);
    const chunks = events.filter((e) => e.result.artifactUpdate).map((e) => e.result.artifactUpdate);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks[0].append ?? false).toBe(false);
    expect(chunks[chunks.length - 1].lastChunk).toBe(true);
  });

  it("file changes are streamed as file-change artifacts", async () => {
    const { body } = await rpc("SendMessage", { message: userMessage("please write a file") });
    const task = body.result.task;
    const change = task.artifacts.find((a: Wire) => a.name === "file-change");
    expect(change.parts[0].data).toMatchObject({ tool: "write", path: "a.txt", bytes: 2 });
    // Paths are relative to the workspace: the server's own directories are not exposed.
    expect(JSON.stringify(change)).not.toContain(h.dataDir);
    expect(change.parts[1].text).toBe("wrote a.txt");
  });

  it("the final response artifact has the whole text in one part, not one part per streamed chunk", async () => {
    const { body } = await rpc("SendMessage", { message: userMessage("hello") });
    const response = body.result.task.artifacts.find((a: Wire) => a.name === "response");
    expect(response.parts).toHaveLength(1);
    expect(response.parts[0].text).toBe("Hello from codetether");
    const got = await rpc("GetTask", { id: body.result.task.id });
    const stored = got.body.result.artifacts.find((a: Wire) => a.name === "response");
    expect(stored.parts).toHaveLength(1);
    expect(stored.parts[0].text).toBe("Hello from codetether");
  });

  it("a provider failure ends in TASK_STATE_FAILED with the error message", async () => {
    const { body } = await rpc("SendMessage", { message: userMessage("fail now") });
    expect(body.result.task.status.state).toBe("TASK_STATE_FAILED");
    expect(body.result.task.status.message.parts[0].text).toContain("the model exploded");
  });

  it("INPUT_REQUIRED when a tool asks; the follow-up on the same task completes it", async () => {
    const first = await rpc("SendMessage", { message: userMessage("ask me") });
    const task = first.body.result.task;
    expect(task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    expect(task.status.message.parts[0].text).toContain("Which color?");
    const second = await rpc("SendMessage", {
      message: userMessage("blue", { taskId: task.id, contextId: task.contextId }),
    });
    expect(second.body.result.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(second.body.result.task.status.message.parts[0].text).toContain("user answered blue");
  });

  it("CancelTask really aborts the run and publishes CANCELED; repeat is idempotent; completed task is -32002", async () => {
    const sent = await rpc("SendMessage", {
      message: userMessage("slow job"),
      configuration: { returnImmediately: true },
    });
    const id = sent.body.result.task.id;
    expect(h.executor.activeTaskIds()).toContain(id);
    const canceled = await rpc("CancelTask", { id });
    expectSchema("Task", canceled.body.result);
    expect(canceled.body.result.status.state).toBe("TASK_STATE_CANCELED");
    await new Promise((r) => setTimeout(r, 50));
    expect(h.executor.activeTaskIds()).not.toContain(id);
    const again = await rpc("CancelTask", { id });
    expect(again.body.result.status.state).toBe("TASK_STATE_CANCELED");
    const done = await rpc("SendMessage", { message: userMessage("hello") });
    const notCancelable = await rpc("CancelTask", { id: done.body.result.task.id });
    expect(notCancelable.body.error.code).toBe(-32002);
  });

  it("a message to a terminal task is -32004; mismatched contextId is -32602; unknown taskId -32001", async () => {
    const sent = await rpc("SendMessage", { message: userMessage("hello") });
    const task = sent.body.result.task;
    const terminal = await rpc("SendMessage", { message: userMessage("more", { taskId: task.id }) });
    expect(terminal.body.error.code).toBe(-32004);
    const unknown = await rpc("SendMessage", { message: userMessage("more", { taskId: randomUUID() }) });
    expect(unknown.body.error.code).toBe(-32001);
    const waiting = (await rpc("SendMessage", { message: userMessage("ask me") })).body.result.task;
    expect(waiting.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const mismatch = await rpc("SendMessage", {
      message: userMessage("blue", { taskId: waiting.id, contextId: randomUUID() }),
    });
    expect(mismatch.body.error.code).toBe(-32602);
    await rpc("CancelTask", { id: waiting.id });
  });

  it("SubscribeToTask: first event is the current task; unknown task is -32001", async () => {
    const sent = await rpc("SendMessage", {
      message: userMessage("slow job"),
      configuration: { returnImmediately: true },
    });
    const id = sent.body.result.task.id;
    const res = await fetch(`${h.url}/a2a`, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "SubscribeToTask", params: { id } }),
    });
    const reader = readSse(res);
    const first = await reader.next();
    const firstJson = JSON.parse(first.value!.data);
    expect(firstJson.result.task.id).toBe(id);
    await rpc("CancelTask", { id });
    const rest: Wire[] = [];
    for await (const e of reader) if (e.data) rest.push(JSON.parse(e.data));
    expect(rest[rest.length - 1].result.statusUpdate.status.state).toBe("TASK_STATE_CANCELED");
    const missing = await rpc("SubscribeToTask", { id: "nope" });
    expect(missing.body.error.code).toBe(-32001);
  });

  it("push config CRUD; loopback webhook refused by the SSRF guard", async () => {
    const sent = await rpc("SendMessage", { message: userMessage("hello") });
    const taskId = sent.body.result.task.id;
    const refused = await rpc("CreateTaskPushNotificationConfig", { taskId, url: "http://127.0.0.1:9/hook" });
    expect(refused.body.error.code).toBe(-32602);
    expect(refused.body.error.message).toMatch(/non-public|loopback/);
    const created = await rpc("CreateTaskPushNotificationConfig", {
      taskId,
      url: "https://93.184.215.14/hook",
      authentication: { scheme: "Bearer", credentials: "secret" },
    });
    expectSchema("TaskPushNotificationConfig", created.body.result);
    const configId = created.body.result.id;
    const got = await rpc("GetTaskPushNotificationConfig", { taskId, id: configId });
    expect(got.body.result.url).toBe("https://93.184.215.14/hook");
    const listed = await rpc("ListTaskPushNotificationConfigs", { taskId });
    expectSchema("ListTaskPushNotificationConfigsResponse", listed.body.result);
    expect(listed.body.result.configs).toHaveLength(1);
    const deleted = await rpc("DeleteTaskPushNotificationConfig", { taskId, id: configId });
    expect(deleted.body.error).toBeUndefined();
    const after = await rpc("ListTaskPushNotificationConfigs", { taskId });
    expect(after.body.result.configs ?? []).toHaveLength(0);
  });

  it("GetExtendedAgentCard returns a schema-valid card", async () => {
    const { body } = await rpc("GetExtendedAgentCard", {});
    expectSchema("AgentCard", body.result);
    expect(body.result.capabilities.extendedAgentCard).toBe(true);
  });

  it("spec error codes: parse error, invalid request, method not found, invalid params, unsupported version", async () => {
    const parse = await fetch(`${h.url}/a2a`, { method: "POST", headers, body: "{not json" });
    expect(((await parse.json()) as Wire).error.code).toBe(-32700);
    const invalid = await fetch(`${h.url}/a2a`, {
      method: "POST",
      headers,
      body: JSON.stringify({ id: 1, method: 5 }),
    });
    expect(((await invalid.json()) as Wire).error.code).toBe(-32600);
    expect((await rpc("NoSuchMethod", {})).body.error.code).toBe(-32601);
    expect((await rpc("SendMessage", { message: { parts: "nope" } })).body.error.code).toBe(-32602);
    expect((await rpc("GetTask", { id: "x" }, { "a2a-version": "9.9" })).body.error.code).toBe(-32009);
  });

  it("a JSON-RPC body with a wrong or missing content type is -32005 ContentTypeNotSupported", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "GetTask", params: { id: "x" } });
    for (const type of ["text/plain", undefined]) {
      const res = await fetch(`${h.url}/a2a`, {
        method: "POST",
        headers: { ...headers, "content-type": type ?? "" },
        body: type ? body : new Blob([body]),
      });
      const wire = (await res.json()) as Wire & { id: unknown };
      expect(wire.error.code, String(type)).toBe(-32005);
      expect(wire.error.message).toMatch(/application\/json/);
    }
  });

  it("rejects bodies over the size limit", async () => {
    const big = "x".repeat(100 * 1024);
    const res = await fetch(`${h.url}/a2a`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "SendMessage",
        params: { message: userMessage(big) },
      }),
    });
    expect(res.status).toBe(413);
  });
});
