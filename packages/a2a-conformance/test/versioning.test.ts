import { describe, expect, it } from "vitest";
import type { Wire } from "../src/index.js";
import { expectA2AError, jsonRpcBinding, restBinding } from "./bindings.js";
import { legacyMessage, schema, userMessage, useSut } from "./sut.js";

const sut = useSut();

describe("version negotiation (spec 1.0.1 §3.6)", () => {
  it("A2A-Version: 1.0 in the header or the query parameter selects 1.0 semantics", async () => {
    const header = await sut.client.rpc("SendMessage", { message: userMessage("tck-complete-task") });
    schema.assert("SendMessageResponse", header.body.result);
    const noHeader = sut.client.with({ version: null });
    const query = noHeader.with({ jsonRpcUrl: `${sut.client.options.jsonRpcUrl}?A2A-Version=1.0` });
    const viaQuery = await query.rpc("SendMessage", { message: userMessage("tck-complete-task") });
    schema.assert("SendMessageResponse", viaQuery.body.result);
    expect(viaQuery.body.result.task.status.state).toBe("TASK_STATE_COMPLETED");
    const rest = await noHeader.rest("GET", `/tasks/${viaQuery.body.result.task.id}?A2A-Version=1.0`);
    expect(rest.status).toBe(200);
    schema.assert("Task", rest.body);
  });

  it("an unsupported version is VersionNotSupportedError: -32009 / HTTP 400 FAILED_PRECONDITION (1.0.1 §5.4; 1.0.0 said gRPC UNIMPLEMENTED)", async () => {
    const future = sut.client.with({ version: "9.9" });
    const rpc = jsonRpcBinding(future);
    expectA2AError(
      rpc,
      await rpc.send({ message: userMessage("tck-complete-task") }),
      "VERSION_NOT_SUPPORTED",
    );
    const rest = restBinding(future);
    expectA2AError(rest, await rest.get("anything"), "VERSION_NOT_SUPPORTED");
  });

  it("a 1.0 method name without A2A-Version is unknown: the request is served as 0.3 (-32601)", async () => {
    const res = await sut.client
      .with({ version: null })
      .rpc("SendMessage", { message: userMessage("tck-complete-task") });
    expect(res.body.error.code).toBe(-32601);
  });
});

describe("v0.3 compatibility: no A2A-Version ⇒ 0.3 method names and shapes (§3.6.2)", () => {
  const legacy = () => sut.client.with({ version: null });

  it("message/send returns a v0.3 Task (kind discriminators, lower-case states and roles)", async () => {
    const res = await legacy().rpc("message/send", { message: legacyMessage("tck-complete-task") });
    const task = res.body.result;
    expect(task.kind).toBe("task");
    expect(task.status.state).toBe("completed");
    expect(task.status.message).toMatchObject({ kind: "message", role: "agent" });
    expect(task.status.message.parts[0]).toEqual({ kind: "text", text: "Hello from TCK" });
    expect(task.history[0]).toMatchObject({ kind: "message", role: "user" });
    // A v0.3 payload is not a v1.0 one: the schema must reject it.
    expect(schema.errors("Task", task).length).toBeGreaterThan(0);

    const got = await legacy().rpc("tasks/get", { id: task.id });
    expect(got.body.result).toMatchObject({ kind: "task", id: task.id, status: { state: "completed" } });
  });

  it("message/send can answer with a v0.3 Message (kind: message)", async () => {
    const res = await legacy().rpc("message/send", { message: legacyMessage("tck-message-response") });
    expect(res.body.result).toMatchObject({ kind: "message", role: "agent" });
    expect(res.body.result.parts[0].text).toBe("Direct message response");
  });

  it("artifacts use v0.3 part kinds (text, file with bytes/uri, data)", async () => {
    const send = async (prefix: string) =>
      (await legacy().rpc("message/send", { message: legacyMessage(prefix) })).body.result.artifacts[0]
        .parts[0];
    expect(await send("tck-artifact-text")).toEqual({ kind: "text", text: "Generated text content" });
    expect(await send("tck-artifact-file-url")).toMatchObject({
      kind: "file",
      file: { uri: "https://example.com/output.txt", name: "output.txt", mimeType: "text/plain" },
    });
    const bytes = await send("tck-artifact-file");
    expect(bytes.kind).toBe("file");
    expect(Buffer.from(bytes.file.bytes, "base64").toString("utf8")).toBe("Generated file content\n");
    expect(await send("tck-artifact-data")).toEqual({ kind: "data", data: { key: "value", count: 42 } });
  });

  it("tasks/cancel, input-required and error codes in v0.3", async () => {
    const waiting = (await legacy().rpc("message/send", { message: legacyMessage("tck-input-required") }))
      .body.result;
    expect(waiting.status.state).toBe("input-required");
    const canceled = await legacy().rpc("tasks/cancel", { id: waiting.id });
    expect(canceled.body.result).toMatchObject({ kind: "task", status: { state: "canceled" } });
    const again = await legacy().rpc("tasks/cancel", { id: waiting.id });
    expect(again.body.result?.status?.state ?? again.body.error?.code).toBeDefined();
    const missing = await legacy().rpc("tasks/get", { id: "no-such-task-id" });
    expect(missing.body.error.code).toBe(-32001);
  });

  it("message/stream: v0.3 events (task, status-update, artifact-update) with final: true on the last", async () => {
    const stream = await legacy().rpcStream("message/stream", { message: legacyMessage("tck-stream-001") });
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const results = stream.events.map((e: Wire) => e.result);
    expect(results.map((r: Wire) => r.kind)).toEqual([
      "task",
      "status-update",
      "artifact-update",
      "status-update",
    ]);
    expect(results[1]).toMatchObject({ status: { state: "working" }, final: false });
    expect(results[2].artifact.parts[0]).toEqual({ kind: "text", text: "Stream hello from TCK" });
    expect(results[3]).toMatchObject({ status: { state: "completed" }, final: true });
  });

  it("tasks/resubscribe on a running task streams v0.3 events until the final status", async () => {
    const started = await legacy().rpc("message/send", {
      message: legacyMessage("test-resubscribe-message-id"),
      configuration: { blocking: false },
    });
    const task = started.body.result;
    expect(task.kind).toBe("task");
    expect(["submitted", "working"]).toContain(task.status.state);
    const sub = await legacy().rpcStream("tasks/resubscribe", { id: task.id });
    const results = sub.events.map((e: Wire) => e.result);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r: Wire) => ["task", "status-update", "artifact-update"].includes(r.kind))).toBe(
      true,
    );
    expect(results.at(-1)).toMatchObject({
      kind: "status-update",
      status: { state: "completed" },
      final: true,
    });
  });

  it("tasks/pushNotificationConfig/set and /get in v0.3 shape", async () => {
    const task = (await legacy().rpc("message/send", { message: legacyMessage("tck-input-required") })).body
      .result;
    const set = await legacy().rpc("tasks/pushNotificationConfig/set", {
      taskId: task.id,
      pushNotificationConfig: { id: "legacy-cfg", url: "http://127.0.0.1:9/legacy", token: "t" },
    });
    expect(set.body.result, JSON.stringify(set.body)).toMatchObject({
      taskId: task.id,
      pushNotificationConfig: { id: "legacy-cfg", url: "http://127.0.0.1:9/legacy" },
    });
    const got = await legacy().rpc("tasks/pushNotificationConfig/get", {
      id: task.id,
      pushNotificationConfigId: "legacy-cfg",
    });
    expect(got.body.result.pushNotificationConfig.url).toBe("http://127.0.0.1:9/legacy");
  });

  it("HTTP+JSON v0.3 routes (/v1/...) take the v0.3 proto JSON (Message.content)", async () => {
    const sent = await legacy().rest("POST", "/v1/message:send", {
      message: {
        messageId: `tck-complete-task-rest03-${Date.now()}`,
        role: "ROLE_USER",
        content: [{ text: "hi" }],
      },
    });
    // The v0.3 REST binding answered message:send with 201 Created; 200 is accepted too.
    expect([200, 201]).toContain(sent.status);
    expect(sent.body.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(sent.body.task.status.message.content[0].text).toBe("Hello from TCK");
    const got = await legacy().rest("GET", `/v1/tasks/${sent.body.task.id}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(sent.body.task.id);
  });
});
