import type { V1Pod } from "@kubernetes/client-node";
import type { z } from "zod";
import { ActionHistory } from "./action-history.js";
import { K8sError, toK8sError } from "./k8s-error.js";
import type { K8sSettings } from "./k8s-settings.js";
import type { KubeClients } from "./kube-clients.js";
import { assessPod, DEFAULT_HEALTH_POLICY, type HealthPolicy } from "./pod-health.js";
import { buildManifests, type SelfDeploymentSpecSchema } from "./self-deployment-spec.js";

export const FIELD_MANAGER = "codetether";

/** Patch content types (client-node's `PatchStrategy` values, kept here so importing this file stays light). */
const SERVER_SIDE_APPLY = "application/apply-patch+yaml";
const MERGE_PATCH = "application/merge-patch+json";

async function contentType(type: string) {
  const { setHeaderOptions } = await import("@kubernetes/client-node");
  return setHeaderOptions("Content-Type", type);
}
export const RESTART_ANNOTATION = "codetether.run/restartedAt";

export interface PodSummary {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  healthy: boolean;
  reason?: string;
  role?: string;
  startedAt?: string;
}

export interface K8sStatus {
  enabled: boolean;
  mode: K8sSettings["mode"];
  reason: string;
  namespace: string;
  deployment: string;
  replicas?: { desired: number; ready: number; available: number };
  error?: string;
}

/** The operations behind `/v1/k8s/*`: status, apply, scale, rolling restart, pods and their health. */
export class K8sManager {
  readonly history = new ActionHistory();
  readonly policy: HealthPolicy;

  constructor(
    readonly settings: K8sSettings,
    readonly clients: KubeClients | undefined,
    policy: Partial<HealthPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_HEALTH_POLICY, ...policy };
  }

  get enabled(): boolean {
    return this.settings.mode !== "disabled" && this.clients !== undefined;
  }

  /** The clients, or a 409 saying why Kubernetes is not available. */
  api(): KubeClients {
    if (!this.clients)
      throw new K8sError(`Kubernetes integration is disabled: ${this.settings.reason}`, "disabled");
    return this.clients;
  }

  async status(): Promise<K8sStatus> {
    const base = {
      enabled: this.enabled,
      mode: this.settings.mode,
      reason: this.settings.reason,
      namespace: this.settings.namespace,
      deployment: this.settings.deploymentName,
    };
    if (!this.clients) return base;
    try {
      const d = await this.clients.apps.readNamespacedDeployment({
        name: this.settings.deploymentName,
        namespace: this.settings.namespace,
      });
      return {
        ...base,
        replicas: {
          desired: d.spec?.replicas ?? 0,
          ready: d.status?.readyReplicas ?? 0,
          available: d.status?.availableReplicas ?? 0,
        },
      };
    } catch (err) {
      return { ...base, error: toK8sError(err, "read the deployment").message };
    }
  }

  /** Creates or updates Deployment, Service and ConfigMap with server-side apply (field manager `codetether`). */
  async apply(spec: z.input<typeof SelfDeploymentSpecSchema>): Promise<void> {
    const { objects } = this.api();
    const manifests = buildManifests(spec);
    for (const obj of [manifests.configMap, manifests.deployment, manifests.service]) {
      const target = `${obj.kind}/${obj.metadata?.name}`;
      try {
        await objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, SERVER_SIDE_APPLY);
        this.history.record({ action: "apply", target, outcome: "success" });
      } catch (err) {
        this.history.record({ action: "apply", target, outcome: "failure", detail: String(err) });
        throw toK8sError(err, `apply ${target}`);
      }
    }
  }

  async scale(replicas: number): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 100) {
      throw new K8sError(`replicas must be a whole number from 0 to 100, got ${replicas}`, "invalid");
    }
    const { apps } = this.api();
    const { deploymentName: name, namespace } = this.settings;
    try {
      await apps.patchNamespacedDeploymentScale(
        { name, namespace, body: { spec: { replicas } }, fieldManager: FIELD_MANAGER },
        await contentType(MERGE_PATCH),
      );
      this.history.record({
        action: "scale",
        target: `deployment/${name}`,
        outcome: "success",
        detail: `replicas=${replicas}`,
      });
    } catch (err) {
      this.history.record({
        action: "scale",
        target: `deployment/${name}`,
        outcome: "failure",
        detail: String(err),
      });
      throw toK8sError(err, `scale deployment ${namespace}/${name}`);
    }
  }

  /** Rolling restart, as `kubectl rollout restart` does it: a changed pod-template annotation. */
  async restart(): Promise<string> {
    const { apps } = this.api();
    const { deploymentName: name, namespace } = this.settings;
    const at = new Date().toISOString();
    try {
      await apps.patchNamespacedDeployment(
        {
          name,
          namespace,
          body: { spec: { template: { metadata: { annotations: { [RESTART_ANNOTATION]: at } } } } },
          fieldManager: FIELD_MANAGER,
        },
        await contentType(MERGE_PATCH),
      );
      this.history.record({
        action: "restart",
        target: `deployment/${name}`,
        outcome: "success",
        detail: at,
      });
      return at;
    } catch (err) {
      this.history.record({
        action: "restart",
        target: `deployment/${name}`,
        outcome: "failure",
        detail: String(err),
      });
      throw toK8sError(err, `restart deployment ${namespace}/${name}`);
    }
  }

  /** Pods of this deployment (or another label selector) with their health. */
  async pods(
    labelSelector = `app.kubernetes.io/name=${this.settings.deploymentName}`,
  ): Promise<PodSummary[]> {
    const { core } = this.api();
    let items: V1Pod[];
    try {
      items = (await core.listNamespacedPod({ namespace: this.settings.namespace, labelSelector })).items;
    } catch (err) {
      throw toK8sError(err, `list pods in ${this.settings.namespace}`);
    }
    const now = Date.now();
    return items.map((pod) => {
      const health = assessPod(pod, now, this.policy);
      return {
        name: pod.metadata?.name ?? "",
        phase: pod.status?.phase ?? "Unknown",
        ready: pod.status?.conditions?.find((c) => c.type === "Ready")?.status === "True",
        restarts: (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
        healthy: health.healthy,
        ...(health.healthy ? {} : { reason: health.reason }),
        ...(pod.metadata?.labels?.["codetether.run/role"]
          ? { role: pod.metadata.labels["codetether.run/role"] }
          : {}),
        ...(pod.status?.startTime ? { startedAt: new Date(pod.status.startTime).toISOString() } : {}),
      };
    });
  }

  /** Deletes one pod so its ReplicaSet replaces it. */
  async replacePod(name: string, reason: string): Promise<void> {
    const { core } = this.api();
    try {
      await core.deleteNamespacedPod({ name, namespace: this.settings.namespace });
      this.history.record({
        action: "replace-pod",
        target: `pod/${name}`,
        outcome: "success",
        detail: reason,
      });
    } catch (err) {
      this.history.record({
        action: "replace-pod",
        target: `pod/${name}`,
        outcome: "failure",
        detail: String(err),
      });
      throw toK8sError(err, `delete pod ${name}`);
    }
  }
}
