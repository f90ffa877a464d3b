import { PUBLIC_CARD_PATHS } from "@codetether/a2a/lite";
import type { RouteSpec } from "../route-table.js";

/** The A2A routes the service serves, for the route table (served by the SDK router, not by handlers here). */
export function a2aRouteSpecs(): RouteSpec[] {
  const publicCards: RouteSpec[] = PUBLIC_CARD_PATHS.map((path) => ({
    method: "GET",
    path,
    public: true,
    summary: "Public agent card",
  }));
  const rest = (method: RouteSpec["method"], path: string, summary: string): RouteSpec => ({
    method,
    path: `/a2a/rest${path}`,
    example: `/a2a/rest${path.replace("{id}", "example-task").replace("{configId}", "example-config")}`,
    summary,
  });
  return [
    ...publicCards,
    { method: "POST", path: "/a2a", summary: "A2A JSON-RPC 2.0 (all methods, SSE streams)" },
    rest("POST", "/message:send", "SendMessage"),
    rest("POST", "/message:stream", "SendStreamingMessage (SSE)"),
    rest("GET", "/tasks", "ListTasks"),
    rest("GET", "/tasks/{id}", "GetTask"),
    rest("POST", "/tasks/{id}:cancel", "CancelTask"),
    rest("GET", "/tasks/{id}:subscribe", "SubscribeToTask (SSE)"),
    rest("POST", "/tasks/{id}:subscribe", "SubscribeToTask (SSE)"),
    rest("POST", "/tasks/{id}/pushNotificationConfigs", "CreateTaskPushNotificationConfig"),
    rest("GET", "/tasks/{id}/pushNotificationConfigs", "ListTaskPushNotificationConfigs"),
    rest("GET", "/tasks/{id}/pushNotificationConfigs/{configId}", "GetTaskPushNotificationConfig"),
    rest("DELETE", "/tasks/{id}/pushNotificationConfigs/{configId}", "DeleteTaskPushNotificationConfig"),
    rest("GET", "/extendedAgentCard", "GetExtendedAgentCard"),
  ];
}
