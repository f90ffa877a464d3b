import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConformanceExecutor } from "@codetether/a2a";
import { startServer } from "@codetether/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AWireClient, startWebhookReceiver, type WebhookReceiver, type Wire } from "../src/index.js";
import { type Binding, jsonRpcBinding, restBinding, useBindings } from "./bindings.js";
import { schema, userMessage, useSut } from "./sut.js";

const sut = useSut();
const bindings = useBindings(sut);
let hook: WebhookReceiver;
beforeAll(async () => {
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await hook.close();
});

/** The stored task a webhook delivery is about (StreamResponse payload, §4.3.3: webhooks use the HTTP+JSON format). */
const taskIdOf = (body: Wire) => body?.task?.id ?? body?.statusUpdate?.taskId ?? body?.artifactUpdate?.taskId;

describe.each(["JSONRPC", "HTTP+JSON"])(
  "push notifications over %s (spec 1.0.1 §3.1.7–3.1.10, §4.3)",
  (name) => {
    const b = () => bindings[name] as Binding;

    it("create, get, list and delete a config (TaskPushNotificationConfig round trip)", async () => {
      const task = (await b().send({ message: userMessage("tck-input-required") })).result.task;
      const created = await b().createPush(task.id, {
        id: `cfg-${name}`,
        url: `${hook.url}/crud`,
        token: "notification-token-1",
      });
      // HTTP+JSON answers 201 Created for the new resource (HTTP semantics); JSON-RPC 200.
      expect([200, 201], JSON.stringify(created.raw)).toContain(created.status);
      schema.assert("TaskPushNotificationConfig", created.result);
      expect(created.result).toMatchObject({ id: `cfg-${name}`, taskId: task.id, url: `${hook.url}/crud` });

      const got = await b().getPush(task.id, `cfg-${name}`);
      schema.assert("TaskPushNotificationConfig", got.result);
      expect(got.result.url).toBe(`${hook.url}/crud`);

      const listed = await b().listPush(task.id);
      schema.assert("ListTaskPushNotificationConfigsResponse", listed.result);
      expect(listed.result.configs.map((c: Wire) => c.id)).toEqual([`cfg-${name}`]);

      const deleted = await b().deletePush(task.id, `cfg-${name}`);
      expect([200, 204]).toContain(deleted.status);
      expect(deleted.code).toBeUndefined();
      expect((await b().listPush(task.id)).result.configs ?? []).toEqual([]);
      const gone = await b().getPush(task.id, `cfg-${name}`);
      expect(gone.result).toBeUndefined();
    });

    it("a config for an unknown task is TaskNotFoundError", async () => {
      const res = await b().createPush("no-such-task-id", { id: "x", url: `${hook.url}/x` });
      expect(res.reason).toBe("TASK_NOT_FOUND");
    });

    it("delivers task updates to the webhook with the config token (X-A2A-Notification-Token)", async () => {
      const task = (await b().send({ message: userMessage("tck-input-required") })).result.task;
      await b().createPush(task.id, {
        id: "deliver",
        url: `${hook.url}/deliver-${name}`,
        token: `tok-${name}`,
      });
      const follow = await b().send({
        message: userMessage("tck-complete-task", "go on", { taskId: task.id, contextId: task.contextId }),
      });
      expect(follow.result.task.status.state).toBe("TASK_STATE_COMPLETED");
      const completed = await hook.waitFor(
        (w) =>
          w.path === `/deliver-${name}` &&
          taskIdOf(w.body) === task.id &&
          JSON.stringify(w.body).includes("TASK_STATE_COMPLETED"),
      );
      expect(completed.headers["x-a2a-notification-token"]).toBe(`tok-${name}`);
      expect(completed.headers["content-type"]).toMatch(/json/);
      schema.assert("StreamResponse", completed.body);
    });

    it("canceling an INPUT_REQUIRED task notifies the webhook with the task's own context", async () => {
      const task = (await b().send({ message: userMessage("tck-input-required") })).result.task;
      await b().createPush(task.id, { id: "cancel", url: `${hook.url}/cancel-${name}` });
      expect((await b().cancel(task.id)).result.status.state).toBe("TASK_STATE_CANCELED");
      const hit = await hook.waitFor(
        (w) => w.path === `/cancel-${name}` && JSON.stringify(w.body).includes("TASK_STATE_CANCELED"),
      );
      schema.assert("StreamResponse", hit.body);
      const body = hit.body as Wire;
      const event = body.statusUpdate ?? body.task;
      expect(event.contextId).toBe(task.contextId);
    });

    it("a config given with SendMessage (configuration.taskPushNotificationConfig) receives that task's updates", async () => {
      const message = userMessage("tck-complete-task");
      const res = await b().send({
        message,
        configuration: { taskPushNotificationConfig: { url: `${hook.url}/inline-${name}`, token: "inline" } },
      });
      const taskId = res.result.task.id;
      const hit = await hook.waitFor((w) => w.path === `/inline-${name}` && taskIdOf(w.body) === taskId);
      schema.assert("StreamResponse", hit.body);
      expect(hit.headers["x-a2a-notification-token"]).toBe("inline");
    });

    it("the SSRF guard refuses private-network and credential-bearing webhook URLs even in conformance mode", async () => {
      const task = (await b().send({ message: userMessage("tck-input-required") })).result.task;
      for (const url of [
        "http://10.0.0.7/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://user:pw@127.0.0.1/x",
      ]) {
        const res = await b().createPush(task.id, { id: "bad", url });
        expect(res.result, url).toBeUndefined();
        expect(res.code, url).toBeDefined();
      }
    });
  },
);

describe("loopback webhooks need explicit configuration", () => {
  it("a server without conformance/test push config refuses a 127.0.0.1 receiver", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "a2a-push-guard-"));
    const token = "push-guard-token-0123456789";
    const server = await startServer({
      port: 0,
      dataDir,
      cwd: dataDir,
      token,
      executor: new ConformanceExecutor(),
    });
    try {
      const client = new A2AWireClient({
        jsonRpcUrl: `${server.url}/a2a`,
        restUrl: `${server.url}/a2a/rest`,
        token,
      });
      const b = jsonRpcBinding(client);
      const task = (await b.send({ message: userMessage("tck-input-required") })).result.task;
      const res = await b.createPush(task.id, { id: "loop", url: `${hook.url}/loop` });
      expect(res.result).toBeUndefined();
      expect(res.raw.error.message).toMatch(/loopback|non-public|private/i);
      const rest = await restBinding(client).createPush(task.id, {
        id: "loop",
        url: `http://localhost:1/loop`,
      });
      expect(rest.status).toBeGreaterThanOrEqual(400);
    } finally {
      await server.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
