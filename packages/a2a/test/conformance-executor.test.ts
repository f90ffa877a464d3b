import { type AgentExecutionEvent, DefaultExecutionEventBus, type RequestContext } from "@a2a-js/sdk/server";
import { describe, expect, it } from "vitest";
import { ConformanceExecutor, textPart } from "../src/index.js";

function context(messageId: string, taskId = "task-1", contextId = "ctx-1"): RequestContext {
  return {
    taskId,
    contextId,
    userMessage: {
      messageId,
      role: 1,
      parts: [textPart("hi")],
      contextId,
      taskId,
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    task: undefined,
  } as unknown as RequestContext;
}

function record(bus: DefaultExecutionEventBus): AgentExecutionEvent[] {
  const events: AgentExecutionEvent[] = [];
  bus.on("event", (e: AgentExecutionEvent) => events.push(e));
  return events;
}

describe("ConformanceExecutor", () => {
  it("cancels an INPUT_REQUIRED task with its own context id", async () => {
    const executor = new ConformanceExecutor();
    await executor.execute(context("tck-input-required-1"), new DefaultExecutionEventBus());
    const bus = new DefaultExecutionEventBus();
    const events = record(bus);
    await executor.cancelTask("task-1", bus);
    expect(JSON.stringify(events)).toContain('"contextId":"ctx-1"');
    expect(JSON.stringify(events)).toContain("Task canceled.");
  });

  it("a cancel ends the long-running wait at once", async () => {
    const executor = new ConformanceExecutor({ streamingTimeoutMs: 60_000 });
    const bus = new DefaultExecutionEventBus();
    const events = record(bus);
    const running = executor.execute(context("test-resubscribe-message-id-1"), bus);
    await new Promise((r) => setTimeout(r, 20));
    await executor.cancelTask("task-1", new DefaultExecutionEventBus());
    await running;
    expect(events.length).toBe(2); // the Task and WORKING; no COMPLETED after the cancel
    expect(await executor.abortAll()).toEqual([]);
  });
});
