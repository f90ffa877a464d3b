// The route table of `createK8sRouter` as plain data (no express), so a server can list the routes
// without loading the router.

/** The routes of {@link createK8sRouter}, with full paths, for route tables and auth tests. */
export const K8S_ROUTES = [
  { method: "GET", path: "/v1/k8s/status", summary: "Cluster, deployment and reconciler status" },
  { method: "POST", path: "/v1/k8s/scale", summary: "Scale the deployment" },
  { method: "POST", path: "/v1/k8s/health", summary: "Assess pod health" },
  { method: "POST", path: "/v1/k8s/reconcile", summary: "Run one reconciliation round" },
  { method: "GET", path: "/v1/k8s/pods", summary: "Pods with health" },
  { method: "POST", path: "/v1/k8s/restart", summary: "Rolling restart" },
  { method: "POST", path: "/v1/k8s/subagent", summary: "Run a sub-agent pod" },
  {
    method: "GET",
    path: "/v1/k8s/subagent/:id",
    example: "/v1/k8s/subagent/example",
    summary: "Sub-agent status and output",
  },
  {
    method: "DELETE",
    path: "/v1/k8s/subagent/:id",
    example: "/v1/k8s/subagent/example",
    summary: "Delete a sub-agent pod",
  },
] as const;

/** Where {@link createK8sRouter} expects to be mounted. */
export const K8S_MOUNT_PATH = "/v1/k8s";
