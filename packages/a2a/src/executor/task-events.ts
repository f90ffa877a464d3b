import type { Message, Task, TaskStatus } from "@a2a-js/sdk";
import { TaskState } from "@a2a-js/sdk";
import { AgentEvent as BusEvent, type ExecutionEventBus, type RequestContext } from "@a2a-js/sdk/server";
import { agentMessage } from "./parts.js";

/** A task status stamped now. */
export function taskStatus(state: TaskState, message?: Message): TaskStatus {
  return { state, message, timestamp: new Date().toISOString() };
}

/**
 * The Task every `execute` publishes first (an SDK rule): the continued task back in SUBMITTED, or a new task
 * whose history holds the user's message.
 */
export function submittedTask(
  ctx: Pick<RequestContext, "taskId" | "contextId" | "userMessage" | "task">,
): Task {
  const submitted = taskStatus(TaskState.TASK_STATE_SUBMITTED);
  return ctx.task
    ? { ...ctx.task, status: submitted }
    : {
        id: ctx.taskId,
        contextId: ctx.contextId,
        status: submitted,
        artifacts: [],
        history: [ctx.userMessage],
        metadata: undefined,
      };
}

/** The terminal CANCELED status update that answers a CancelTask. */
export function publishCanceled(bus: ExecutionEventBus, taskId: string, contextId: string): void {
  bus.publish(
    BusEvent.statusUpdate({
      taskId,
      contextId,
      status: taskStatus(TaskState.TASK_STATE_CANCELED, agentMessage("Task canceled.", taskId, contextId)),
      metadata: undefined,
    }),
  );
}
