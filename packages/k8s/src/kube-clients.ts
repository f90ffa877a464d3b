import type {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
} from "@kubernetes/client-node";
import type { K8sSettings } from "./k8s-settings.js";

export interface KubeClients {
  apps: AppsV1Api;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
  objects: KubernetesObjectApi;
  /** The API server's URL, for error messages. */
  server?: string;
}

/**
 * Real client-node API objects for the detected cluster. The client library (hundreds of modules) is
 * imported here, on first use, so a server without a cluster never loads it.
 */
export async function createKubeClients(
  settings: K8sSettings,
  kubeConfig?: KubeConfig,
): Promise<KubeClients> {
  const { AppsV1Api, CoordinationV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } = await import(
    "@kubernetes/client-node"
  );
  const kc = kubeConfig ?? new KubeConfig();
  if (!kubeConfig) {
    if (settings.mode === "in-cluster") kc.loadFromCluster();
    else if (settings.kubeconfigPath) kc.loadFromFile(settings.kubeconfigPath);
    else throw new Error(`Kubernetes is disabled: ${settings.reason}`);
  }
  const server = kc.getCurrentCluster()?.server;
  return {
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    objects: KubernetesObjectApi.makeApiClient(kc),
    ...(server ? { server } : {}),
  };
}
