import { describe, expect, it } from "vitest";
import type { Wire } from "../src/index.js";
import { type Binding, expectA2AError, jsonRpcBinding, restBinding, useBindings } from "./bindings.js";
import { schema, userMessage, useSut } from "./sut.js";

const sut = useSut();
const bindings = useBindings(sut);

const textOf = (message: Wire) => message?.parts?.map((p: Wire) => p.text ?? "").join("") ?? "";

async function sendTask(b: Binding, prefix: string, extra: Record<string, unknown> = {}): Promise<Wire> {
  const res = await b.send({ message: userMessage(prefix, "hello", extra) });
  expect(res.status, JSON.stringify(res.raw)).toBe(200);
  schema.assert("SendMessageResponse", res.result);
  expect(res.result.task, JSON.stringify(res.result)).toBeDefined();
  schema.assert("Task", res.result.task);
  return res.result.task;
}

describe.each(["JSONRPC", "HTTP+JSON"])("core operations over %s (spec 1.0.1 §3.1, §7)", (name) => {
  const b = () => bindings[name] as Binding;

  it("SendMessage completes a task (tck-complete-task) with the agent's message in status and history", async () => {
    const task = await sendTask(b(), "tck-complete-task");
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(textOf(task.status.message)).toBe("Hello from TCK");
    expect(task.id).toBeTruthy();
    expect(task.contextId).toBeTruthy();
    expect(task.history[0].role).toBe("ROLE_USER");
    expect(task.history[0].messageId).toMatch(/^tck-complete-task-/);
    expect(Number.isNaN(Date.parse(task.status.timestamp))).toBe(false);
  });

  it("artifacts of each part kind: text, raw file, file url, data (Part oneof, §4.1.6)", async () => {
    const text = await sendTask(b(), "tck-artifact-text");
    expect(text.artifacts[0].parts[0].text).toBe("Generated text content");
    const file = await sendTask(b(), "tck-artifact-file");
    const raw = file.artifacts[0].parts[0];
    expect(raw).toMatchObject({ filename: "output.txt", mediaType: "text/plain" });
    expect(Buffer.from(raw.raw, "base64").toString("utf8")).toBe("Generated file content\n");
    const url = await sendTask(b(), "tck-artifact-file-url");
    expect(url.artifacts[0].parts[0]).toMatchObject({
      url: "https://example.com/output.txt",
      filename: "output.txt",
      mediaType: "text/plain",
    });
    const data = await sendTask(b(), "tck-artifact-data");
    expect(data.artifacts[0].parts[0].data).toEqual({ key: "value", count: 42 });
    for (const t of [text, file, url, data]) {
      expect(t.status.state).toBe("TASK_STATE_COMPLETED");
      for (const a of t.artifacts) schema.assert("Artifact", a);
    }
  });

  it("an agent may answer with a Message instead of a Task (tck-message-response)", async () => {
    const res = await b().send({ message: userMessage("tck-message-response") });
    schema.assert("SendMessageResponse", res.result);
    expect(res.result.task).toBeUndefined();
    expect(res.result.message.role).toBe("ROLE_AGENT");
    expect(textOf(res.result.message)).toBe("Direct message response");
  });

  it("INPUT_REQUIRED, then a follow-up on the same task completes it (§3.4 multi-turn)", async () => {
    const task = await sendTask(b(), "tck-input-required");
    expect(task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const follow = await b().send({
      message: userMessage("tck-complete-task", "here you go", {
        taskId: task.id,
        contextId: task.contextId,
      }),
    });
    schema.assert("SendMessageResponse", follow.result);
    expect(follow.result.task.id).toBe(task.id);
    expect(follow.result.task.contextId).toBe(task.contextId);
    expect(follow.result.task.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("a rejected task ends in TASK_STATE_REJECTED (tck-reject-task)", async () => {
    const task = await sendTask(b(), "tck-reject-task");
    expect(task.status.state).toBe("TASK_STATE_REJECTED");
    expect(textOf(task.status.message)).toBe("rejected");
  });

  it("a message reusing a context id lands in that context (§3.4.1)", async () => {
    const first = await sendTask(b(), "tck-complete-task");
    const second = await sendTask(b(), "tck-complete-task", { contextId: first.contextId });
    expect(second.contextId).toBe(first.contextId);
    expect(second.id).not.toBe(first.id);
  });

  it("GetTask returns the task; historyLength limits history, 0 returns none (GetTaskRequest)", async () => {
    const task = await sendTask(b(), "tck-complete-task");
    const got = await b().get(task.id);
    expect(got.status).toBe(200);
    schema.assert("Task", got.result);
    expect(got.result).toMatchObject({
      id: task.id,
      contextId: task.contextId,
      status: { state: "TASK_STATE_COMPLETED" },
    });
    expect(got.result.history.length).toBe(2);
    const one = await b().get(task.id, 1);
    expect(one.result.history.length).toBe(1);
    expect(one.result.history[0].role).toBe("ROLE_AGENT");
    const none = await b().get(task.id, 0);
    expect(none.result.history ?? []).toEqual([]);
  });

  it("GetTask of an unknown id is TaskNotFoundError (-32001 / HTTP 404 NOT_FOUND)", async () => {
    expectA2AError(b(), await b().get("no-such-task-id"), "TASK_NOT_FOUND");
  });

  it("ListTasks filters by contextId and status, pages with pageSize, and matches ListTasksResponse", async () => {
    const first = await sendTask(b(), "tck-complete-task");
    await sendTask(b(), "tck-complete-task", { contextId: first.contextId });
    await sendTask(b(), "tck-input-required", { contextId: first.contextId });
    const all = await b().list({ contextId: first.contextId });
    expect(all.status).toBe(200);
    schema.assert("ListTasksResponse", all.result);
    expect(all.result.tasks).toHaveLength(3);
    expect(all.result.totalSize).toBe(3);
    for (const t of all.result.tasks) expect(t.contextId).toBe(first.contextId);
    const waiting = await b().list({ contextId: first.contextId, status: "TASK_STATE_INPUT_REQUIRED" });
    expect(waiting.result.tasks.map((t: Wire) => t.status.state)).toEqual(["TASK_STATE_INPUT_REQUIRED"]);
    const page1 = await b().list({ contextId: first.contextId, pageSize: 2 });
    schema.assert("ListTasksResponse", page1.result);
    expect(page1.result.tasks).toHaveLength(2);
    expect(page1.result.nextPageToken).toBeTruthy();
    const page2 = await b().list({
      contextId: first.contextId,
      pageSize: 2,
      pageToken: page1.result.nextPageToken,
    });
    expect(page2.result.tasks).toHaveLength(1);
    expect(page2.result.nextPageToken ?? "").toBe("");
    const ids = new Set([...page1.result.tasks, ...page2.result.tasks].map((t: Wire) => t.id));
    expect(ids.size).toBe(3);
  });

  it("CancelTask cancels a non-terminal task and returns it CANCELED; GetTask agrees", async () => {
    const task = await sendTask(b(), "tck-input-required");
    const canceled = await b().cancel(task.id);
    expect(canceled.status, JSON.stringify(canceled.raw)).toBe(200);
    schema.assert("Task", canceled.result);
    expect(canceled.result.status.state).toBe("TASK_STATE_CANCELED");
    expect((await b().get(task.id)).result.status.state).toBe("TASK_STATE_CANCELED");
  });

  it("CancelTask of a completed task is TaskNotCancelableError: -32002 / HTTP 400 (spec 1.0.1 §5.4; v1.0.0 and the TCK said 409)", async () => {
    const task = await sendTask(b(), "tck-complete-task");
    expectA2AError(b(), await b().cancel(task.id), "TASK_NOT_CANCELABLE");
  });

  it("CancelTask of an unknown task is TaskNotFoundError", async () => {
    expectA2AError(b(), await b().cancel("no-such-task-id"), "TASK_NOT_FOUND");
  });

  it("a message to a terminal task is refused (§3.1.1: terminal tasks accept no further messages)", async () => {
    const task = await sendTask(b(), "tck-complete-task");
    const res = await b().send({ message: userMessage("tck-complete-task", "more", { taskId: task.id }) });
    expect(res.result).toBeUndefined();
    expect(res.code).toBeDefined();
  });

  it("a part of a media type outside the card's input modes is ContentTypeNotSupportedError: -32005 / HTTP 400 INVALID_ARGUMENT (1.0.1 §5.4; 1.0.0 said HTTP 415)", async () => {
    const accepted: string[] = sut.card.defaultInputModes;
    expect(accepted).not.toContain("image/png");
    const png = {
      raw: Buffer.from("not really a png").toString("base64"),
      mediaType: "image/png",
      filename: "a.png",
    };
    const res = await b().send({
      message: { ...userMessage("tck-complete-task"), parts: [{ text: "see" }, png] },
    });
    expectA2AError(b(), res, "CONTENT_TYPE_NOT_SUPPORTED");
    expect(res.raw.error.message).toMatch(/Part 1 .*image\/png/);
    // Declared input modes are accepted: text and JSON data.
    const ok = await b().send({
      message: {
        ...userMessage("tck-complete-task"),
        parts: [{ text: "t" }, { data: { a: 1 }, mediaType: "application/json" }],
      },
    });
    expect(ok.result.task.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("every call without the bearer token is 401 (securitySchemes in the card)", async () => {
    const anon =
      name === "JSONRPC"
        ? jsonRpcBinding(sut.client.with({ token: "" }))
        : restBinding(sut.client.with({ token: "" }));
    expect((await anon.send({ message: userMessage("tck-complete-task") })).status).toBe(401);
    expect((await anon.get("x")).status).toBe(401);
    expect((await anon.list({})).status).toBe(401);
  });
});
