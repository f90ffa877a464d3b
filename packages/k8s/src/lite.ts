/**
 * `@codetether/k8s/lite`: cluster detection and the route table, without express or the Kubernetes client,
 * so a server with no cluster can start without loading `@codetether/k8s`.
 */
export { K8S_MOUNT_PATH, K8S_ROUTES } from "./k8s-routes.js";
export { type ClusterMode, type DetectOptions, detectCluster, type K8sSettings } from "./k8s-settings.js";
