import type { KubernetesObject, V1Deployment, V1Service } from "@kubernetes/client-node";
import { toK8sError } from "./k8s-error.js";
import type { K8sManager, PodSummary } from "./k8s-manager.js";

export interface SelfStatus {
  namespace: string;
  name: string;
  /** How the cluster was found (kubeconfig path or in-cluster). */
  cluster: string;
  deployed: boolean;
  image?: string;
  replicas?: { desired: number; ready: number; available: number };
  /** The Service's ports; null when the Service is missing. */
  service?: { ports: Array<{ name: string; port: number }> } | null;
  pods?: PodSummary[];
}

/** What `codetether k8s status` shows: the Deployment, its Service and its pods. */
export async function readSelfStatus(manager: K8sManager): Promise<SelfStatus> {
  const { namespace, deploymentName: name, reason } = manager.settings;
  const { objects } = manager.api();
  const base = { namespace, name, cluster: reason };
  const read = async <T extends KubernetesObject>(apiVersion: string, kind: string) => {
    try {
      return (await objects.read({ apiVersion, kind, metadata: { name, namespace } })) as T;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw toK8sError(err, `read ${kind} ${namespace}/${name}`);
    }
  };
  const d = await read<V1Deployment>("apps/v1", "Deployment");
  if (!d) return { ...base, deployed: false };
  const svc = await read<V1Service>("v1", "Service");
  return {
    ...base,
    deployed: true,
    image: d.spec?.template.spec?.containers[0]?.image ?? "",
    replicas: {
      desired: d.spec?.replicas ?? 0,
      ready: d.status?.readyReplicas ?? 0,
      available: d.status?.availableReplicas ?? 0,
    },
    service: svc
      ? { ports: (svc.spec?.ports ?? []).map((p) => ({ name: p.name ?? "", port: p.port })) }
      : null,
    pods: await manager.pods(),
  };
}

/** Objects as a multi-document YAML stream (what `kubectl apply -f -` reads). */
export async function toYamlStream(objects: KubernetesObject[]): Promise<string> {
  const { dumpYaml } = await import("@kubernetes/client-node");
  return objects.map((o) => dumpYaml(o)).join("---\n");
}
