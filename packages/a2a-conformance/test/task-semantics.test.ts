import { describe, expect, it } from "vitest";
import type { Wire } from "../src/index.js";
import { type Binding, expectA2AError, useBindings } from "./bindings.js";
import { schema, userMessage, useSut } from "./sut.js";

const sut = useSut();
const bindings = useBindings(sut);

describe.each(["JSONRPC", "HTTP+JSON"])(
  "task semantics over %s (spec 1.0.1 §3.1.1, §3.4, ListTasksRequest)",
  (name) => {
    const b = () => bindings[name] as Binding;
    const send = async (prefix: string, extra: Record<string, unknown> = {}, configuration?: Wire) => {
      const res = await b().send({
        message: userMessage(prefix, "hi", extra),
        ...(configuration ? { configuration } : {}),
      });
      return res;
    };

    it("a taskId with a different contextId is rejected, not substituted (§3.4.1: MUST reject) — InvalidParams", async () => {
      const task = (await send("tck-input-required")).result.task;
      const res = await send("tck-complete-task", { taskId: task.id, contextId: "some-other-context" });
      expectA2AError(b(), res, "INVALID_PARAMS");
      expect((await b().get(task.id)).result.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    });

    it("a message naming an unknown taskId is TaskNotFoundError", async () => {
      expectA2AError(b(), await send("tck-complete-task", { taskId: "no-such-task-id" }), "TASK_NOT_FOUND");
    });

    it("configuration.historyLength 0 returns the task without history (SendMessageConfiguration.history_length)", async () => {
      const res = await send("tck-complete-task", {}, { historyLength: 0 });
      schema.assert("SendMessageResponse", res.result);
      expect(res.result.task.history ?? []).toEqual([]);
    });

    it("configuration.returnImmediately returns a non-terminal task that completes later (§3.1.1)", async () => {
      const res = await send("test-resubscribe-message-id", {}, { returnImmediately: true });
      schema.assert("SendMessageResponse", res.result);
      const task = res.result.task;
      expect(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"]).toContain(task.status.state);
      for (let i = 0; i < 100; i++) {
        const state = (await b().get(task.id)).result.status.state;
        if (state === "TASK_STATE_COMPLETED") return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`task ${task.id} did not complete`);
    });

    it("ListTasks omits artifacts unless includeArtifacts is true", async () => {
      const task = (await send("tck-artifact-text")).result.task;
      const without = await b().list({ contextId: task.contextId });
      expect(without.result.tasks[0].artifacts ?? []).toEqual([]);
      const withArtifacts = await b().list({ contextId: task.contextId, includeArtifacts: "true" });
      schema.assert("ListTasksResponse", withArtifacts.result);
      expect(withArtifacts.result.tasks[0].artifacts[0].parts[0].text).toBe("Generated text content");
    });

    it("ListTasks pageSize outside 1..100 is InvalidParams (ListTasksRequest.page_size)", async () => {
      expectA2AError(b(), await b().list({ pageSize: 0 }), "INVALID_PARAMS");
      expectA2AError(b(), await b().list({ pageSize: 101 }), "INVALID_PARAMS");
    });

    it("ListTasks statusTimestampAfter keeps only tasks updated at or after the time", async () => {
      const old = (await send("tck-complete-task")).result.task;
      await new Promise((r) => setTimeout(r, 20));
      const cutoff = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 20));
      const fresh = (await send("tck-complete-task", { contextId: old.contextId })).result.task;
      const res = await b().list({ contextId: old.contextId, statusTimestampAfter: cutoff });
      expect(res.result.tasks.map((t: Wire) => t.id)).toEqual([fresh.id]);
    });
  },
);
