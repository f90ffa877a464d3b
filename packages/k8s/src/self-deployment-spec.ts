import { lazySchema } from "@codetether/core";
import type {
  KubernetesObject,
  V1ConfigMap,
  V1Deployment,
  V1Namespace,
  V1Role,
  V1RoleBinding,
  V1Service,
  V1ServiceAccount,
} from "@kubernetes/client-node";
import { z } from "zod";

const quantity = lazySchema(() =>
  z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, "a Kubernetes quantity such as 500m or 512Mi"),
);

const dnsLabel = lazySchema(() =>
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS-1123 label such as codetether"),
);

export const SelfDeploymentSpecSchema = lazySchema(() =>
  z.object({
    name: dnsLabel,
    namespace: dnsLabel,
    image: z.string().min(1),
    replicas: z.number().int().min(0).max(100).default(1),
    port: z.number().int().min(1).max(65534).default(4096),
    env: z.record(z.string(), z.string()).default({}),
    /** Secret holding CODETETHER_AUTH_TOKEN and provider keys, mounted with envFrom (optional: may not exist yet). */
    secretName: dnsLabel.default("codetether-secrets"),
    serviceAccountName: dnsLabel.default("codetether"),
    resources: z
      .object({
        requests: z.object({ cpu: quantity.optional(), memory: quantity.optional() }).default({}),
        limits: z.object({ cpu: quantity.optional(), memory: quantity.optional() }).default({}),
      })
      .default({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } }),
    /** Settings rendered into a ConfigMap mounted as environment. */
    config: z.record(z.string(), z.string()).default({}),
  }),
);
export type SelfDeploymentSpec = z.infer<typeof SelfDeploymentSpecSchema>;
export type SelfDeploymentInput = z.input<typeof SelfDeploymentSpecSchema>;

export const APP_LABEL = "app";
export const ROLE_LABEL = "codetether.run/role";

function labels(spec: SelfDeploymentSpec): Record<string, string> {
  return { [APP_LABEL]: "codetether", "app.kubernetes.io/name": spec.name };
}

/**
 * Least privilege for exactly what @codetether/k8s does in its own namespace (deploy/k8s/rbac.yaml says why
 * each verb is there).
 */
const ROLE_RULES: NonNullable<V1Role["rules"]> = [
  { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "create", "patch"] },
  { apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["patch"] },
  { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "create", "delete"] },
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
  { apiGroups: [""], resources: ["services", "configmaps"], verbs: ["get", "create", "patch"] },
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] },
];

function deploymentOf(spec: SelfDeploymentSpec): V1Deployment {
  const podLabels = { ...labels(spec), [ROLE_LABEL]: "server" };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: spec.name, namespace: spec.namespace, labels: podLabels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: { "app.kubernetes.io/name": spec.name } },
      template: {
        metadata: { labels: podLabels },
        spec: {
          serviceAccountName: spec.serviceAccountName,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 },
          containers: [
            {
              name: "codetether",
              image: spec.image,
              args: ["serve", "--host", "0.0.0.0", "--port", String(spec.port)],
              // serve's gRPC binding listens on --port + 1.
              ports: [
                { name: "http", containerPort: spec.port },
                { name: "grpc", containerPort: spec.port + 1 },
              ],
              env: [
                { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                {
                  name: "CODETETHER_K8S_NAMESPACE",
                  valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
                },
                { name: "CODETETHER_DEPLOYMENT_NAME", value: spec.name },
                { name: "CODETETHER_DATA_DIR", value: "/data" },
                ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
              ],
              envFrom: [
                { configMapRef: { name: `${spec.name}-config` } },
                { secretRef: { name: spec.secretName, optional: true } },
              ],
              readinessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10 },
              livenessProbe: {
                httpGet: { path: "/health", port: "http" },
                periodSeconds: 20,
                failureThreshold: 3,
              },
              resources: spec.resources,
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "data", mountPath: "/data" },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "data", emptyDir: {} },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** The agent's own Deployment, Service and ConfigMap, as applied with server-side apply. */
export function buildManifests(input: SelfDeploymentInput): {
  deployment: V1Deployment;
  service: V1Service;
  configMap: V1ConfigMap;
} {
  const spec = SelfDeploymentSpecSchema.parse(input);
  const meta = { name: spec.name, namespace: spec.namespace, labels: labels(spec) };
  const configMap: V1ConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { ...meta, name: `${spec.name}-config` },
    data: spec.config,
  };
  const service: V1Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta,
    spec: {
      selector: { "app.kubernetes.io/name": spec.name },
      ports: [
        { name: "http", port: spec.port, targetPort: "http" },
        { name: "grpc", port: spec.port + 1, targetPort: "grpc" },
      ],
    },
  };
  return { deployment: deploymentOf(spec), service, configMap };
}

export interface SelfDeploymentObjects {
  namespace: V1Namespace;
  serviceAccount: V1ServiceAccount;
  role: V1Role;
  roleBinding: V1RoleBinding;
  configMap: V1ConfigMap;
  deployment: V1Deployment;
  service: V1Service;
}

/**
 * Everything in `deploy/k8s` (namespace.yaml, rbac.yaml, deployment.yaml) rendered for a spec: with the
 * defaults of that directory the objects are the same (a test keeps them in step). The leader Lease is not
 * rendered: the first replica creates it.
 */
export function renderSelfDeployment(input: SelfDeploymentInput): SelfDeploymentObjects {
  const spec = SelfDeploymentSpecSchema.parse(input);
  const { deployment, service, configMap } = buildManifests(spec);
  const sa = spec.serviceAccountName;
  return {
    namespace: { apiVersion: "v1", kind: "Namespace", metadata: { name: spec.namespace } },
    serviceAccount: {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: sa, namespace: spec.namespace },
    },
    role: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: sa, namespace: spec.namespace },
      rules: ROLE_RULES,
    },
    roleBinding: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: sa, namespace: spec.namespace },
      subjects: [{ kind: "ServiceAccount", name: sa, namespace: spec.namespace }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: sa },
    },
    configMap,
    deployment,
    service,
  };
}

/** Apply order: what a later object needs exists first (namespace, then its account and rights, ...). */
export function applyOrder(objects: SelfDeploymentObjects): KubernetesObject[] {
  const o = objects;
  return [o.namespace, o.serviceAccount, o.role, o.roleBinding, o.configMap, o.deployment, o.service];
}
