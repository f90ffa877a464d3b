import type { K8sIntegration } from "@codetether/k8s";
import { detectCluster, K8S_MOUNT_PATH, K8S_ROUTES } from "@codetether/k8s/lite";
import type { RouteSpec } from "./route-table.js";
import type { ExtraRouter, ServerOptions } from "./server-options.js";

export interface K8sSetup {
  /** The integration, when it starts with the server (a cluster was detected, or the host gave one). */
  integration: K8sIntegration | undefined;
  /** `/v1/k8s/*`, listed even before the router is loaded. */
  routes: RouteSpec[];
  /** The `/v1/k8s` router, built on first call (for the request stack). */
  router(): Promise<ExtraRouter | undefined>;
  close(): Promise<void>;
}

/**
 * The Kubernetes side of the server. With a cluster (or an integration from the host) `@codetether/k8s`
 * loads at start-up, so the reconcile loop can start once the server listens. Without one — the usual
 * case — only its detection and route table load; the router and a disabled integration (answering
 * `/v1/k8s/status` with the reason) load with the request stack, since express is needed for them anyway.
 */
export async function setupK8s(option: ServerOptions["k8s"]): Promise<K8sSetup> {
  if (option === false) {
    return { integration: undefined, routes: [], router: async () => undefined, close: async () => {} };
  }
  const routes: RouteSpec[] = K8S_ROUTES.map((r) => ({ ...r }));
  const detected = option ? undefined : detectCluster();
  const startsNow = option !== undefined || detected?.mode !== "disabled";
  let integration: K8sIntegration | undefined = startsNow
    ? (option ?? (await (await import("@codetether/k8s")).createK8sIntegration()))
    : undefined;
  let router: ExtraRouter | undefined;
  return {
    integration,
    routes,
    async router() {
      if (router) return router;
      const k8s = await import("@codetether/k8s");
      // The settings detected at start-up: a kubeconfig appearing later does not enable a half-started loop.
      integration ??= await k8s.createK8sIntegration(detected ? { settings: detected } : {});
      router = { path: K8S_MOUNT_PATH, router: k8s.createK8sRouter(integration), routes };
      return router;
    },
    async close() {
      await integration?.close();
    },
  };
}
