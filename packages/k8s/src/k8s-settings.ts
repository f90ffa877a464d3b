import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type Env = Record<string, string | undefined>;

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** How the cluster was found (or why not). */
export type ClusterMode = "in-cluster" | "kubeconfig" | "disabled";

export interface K8sSettings {
  mode: ClusterMode;
  /** Why this mode: shown by `GET /v1/k8s/status`. */
  reason: string;
  namespace: string;
  deploymentName: string;
  /** kubeconfig file, for `kubeconfig` mode. */
  kubeconfigPath?: string;
  /** This replica's identity for leader election (pod name or hostname). */
  identity: string;
}

export interface DetectOptions {
  env?: Env;
  /** Service-account directory (tests point it elsewhere). */
  serviceAccountDir?: string;
  /** Home directory for `~/.kube/config`. */
  home?: string;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

/**
 * In-cluster when a service-account token and `KUBERNETES_SERVICE_HOST` exist; else a kubeconfig
 * (`KUBECONFIG` or `~/.kube/config`); else disabled with the reason.
 */
export function detectCluster(options: DetectOptions = {}): K8sSettings {
  const env = options.env ?? process.env;
  const saDir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const saNamespace = readIfExists(path.join(saDir, "namespace"));
  const namespace = env.CODETETHER_K8S_NAMESPACE || saNamespace || "default";
  const deploymentName = env.CODETETHER_DEPLOYMENT_NAME || "codetether";
  const identity = env.POD_NAME || env.HOSTNAME || os.hostname();
  const base = { namespace, deploymentName, identity };

  if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(path.join(saDir, "token"))) {
    return {
      ...base,
      mode: "in-cluster",
      reason: `in-cluster service account (API ${env.KUBERNETES_SERVICE_HOST})`,
    };
  }
  const candidates = env.KUBECONFIG
    ? env.KUBECONFIG.split(path.delimiter).filter(Boolean)
    : [path.join(options.home ?? os.homedir(), ".kube", "config")];
  const found = candidates.find((f) => fs.existsSync(f));
  if (found) return { ...base, mode: "kubeconfig", reason: `kubeconfig ${found}`, kubeconfigPath: found };
  return {
    ...base,
    mode: "disabled",
    reason:
      "no cluster: not running in a pod (no service-account token or KUBERNETES_SERVICE_HOST) and no kubeconfig " +
      `(${env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG} not found` : "~/.kube/config not found"})`,
  };
}
