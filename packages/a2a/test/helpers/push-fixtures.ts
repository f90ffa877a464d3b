import { type StreamResponse, TaskState } from "@a2a-js/sdk";

/** A push-worthy event: task `t1` completed. */
export const completedEvent: StreamResponse = {
  payload: {
    $case: "statusUpdate",
    value: {
      taskId: "t1",
      contextId: "c1",
      status: {
        state: TaskState.TASK_STATE_COMPLETED,
        message: undefined,
        timestamp: new Date().toISOString(),
      },
      metadata: undefined,
    },
  },
};

/** A push notification config for task `t1` that delivers to `url`. */
export const pushConfigFor = (url: string) => ({
  tenant: "",
  id: "",
  taskId: "t1",
  url,
  token: "",
  authentication: undefined,
});
