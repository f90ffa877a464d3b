import { type Task, TaskState } from "@a2a-js/sdk";
import { agentMessage } from "../executor/parts.js";

/** Task metadata flag set on a task failed because its server stopped (shutdown or crash) while it ran. */
export const INTERRUPTED_METADATA_KEY = "codetether.interrupted";

/** States a task is in only while a server process is running it. */
export const RUNNING_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_STATE_SUBMITTED,
  TaskState.TASK_STATE_WORKING,
]);

/** Final states: a task in one of them never changes again. */
export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
]);

/** Marks `task` FAILED (in place) with a status message saying why, and flags it interrupted. */
export function markInterrupted(task: Task, why: "shutdown" | "crash"): Task {
  const text =
    why === "shutdown"
      ? "Interrupted: the server shut down while this task was running. Send the message again to retry."
      : "Interrupted: the server stopped unexpectedly (crash or kill) while this task was running, so no process runs it any more. Send the message again to retry.";
  task.status = {
    state: TaskState.TASK_STATE_FAILED,
    message: agentMessage(text, task.id, task.contextId),
    timestamp: new Date().toISOString(),
  };
  task.metadata = { ...(task.metadata ?? {}), [INTERRUPTED_METADATA_KEY]: true };
  return task;
}
