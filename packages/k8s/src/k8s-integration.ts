import type { KubeConfig } from "@kubernetes/client-node";
import { K8sManager } from "./k8s-manager.js";
import { type DetectOptions, detectCluster, type K8sSettings } from "./k8s-settings.js";
import { createKubeClients, type KubeClients } from "./kube-clients.js";
import { LeaseElector } from "./leader-election.js";
import type { HealthPolicy } from "./pod-health.js";
import { type ReconcileReport, Reconciler } from "./reconciler.js";
import { restoreSelfObjects } from "./self-deployment.js";
import { SubagentPods } from "./subagent-pods.js";

export interface K8sIntegrationOptions extends DetectOptions {
  /** Use this config instead of detection (tests, embedding). */
  kubeConfig?: KubeConfig;
  settings?: Partial<K8sSettings>;
  reconcileIntervalMs?: number;
  leaseName?: string;
  leaseDurationSeconds?: number;
  health?: Partial<HealthPolicy>;
  desiredReplicas?: number;
  onReport?: (report: ReconcileReport) => void;
  /**
   * Re-create this deployment's missing ConfigMap/Service each round. Default: only in-cluster, where the
   * server is the deployment it restores.
   */
  restoreSelf?: boolean;
}

export interface K8sIntegration {
  settings: K8sSettings;
  manager: K8sManager;
  reconciler: Reconciler;
  subagents: SubagentPods;
  /** Starts the reconcile loop when a cluster is available. */
  start(): void;
  close(): Promise<void>;
}

/**
 * Detects the cluster and wires manager, leader election, reconciler and sub-agent pods. Without a cluster
 * the Kubernetes client library is never loaded.
 */
export async function createK8sIntegration(options: K8sIntegrationOptions = {}): Promise<K8sIntegration> {
  const detected = options.kubeConfig
    ? { ...detectCluster(options), mode: "kubeconfig" as const, reason: "kubeconfig given by the host" }
    : detectCluster(options);
  const settings: K8sSettings = { ...detected, ...options.settings };
  let clients: KubeClients | undefined;
  if (settings.mode !== "disabled") {
    try {
      clients = await createKubeClients(settings, options.kubeConfig);
    } catch (err) {
      settings.mode = "disabled";
      settings.reason = `could not load the cluster config: ${(err as Error).message}`;
    }
  }
  const manager = new K8sManager(settings, clients, options.health);
  const api = clients;
  const elector = clients
    ? new LeaseElector({
        api: clients.coordination,
        namespace: settings.namespace,
        name: options.leaseName ?? `${settings.deploymentName}-leader`,
        identity: settings.identity,
        ...(options.leaseDurationSeconds ? { leaseDurationSeconds: options.leaseDurationSeconds } : {}),
      })
    : undefined;
  const reconciler = new Reconciler({
    manager,
    ...(elector ? { elector } : {}),
    ...(options.reconcileIntervalMs ? { intervalMs: options.reconcileIntervalMs } : {}),
    ...(options.desiredReplicas !== undefined ? { desiredReplicas: options.desiredReplicas } : {}),
    ...(options.onReport ? { onReport: options.onReport } : {}),
    ...(api && (options.restoreSelf ?? settings.mode === "in-cluster")
      ? {
          restoreSelf: () =>
            restoreSelfObjects(api.objects, {
              name: settings.deploymentName,
              namespace: settings.namespace,
            }),
        }
      : {}),
  });
  return {
    settings,
    manager,
    reconciler,
    subagents: new SubagentPods(manager),
    start() {
      if (manager.enabled) reconciler.start();
    },
    close: () => reconciler.stop(),
  };
}
