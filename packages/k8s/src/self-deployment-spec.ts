import type { V1ConfigMap, V1Deployment, V1Service } from "@kubernetes/client-node";
import { z } from "zod";

const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, "a Kubernetes quantity such as 500m or 512Mi");

export const SelfDeploymentSpecSchema = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS-1123 label such as codetether"),
  namespace: z.string().min(1),
  image: z.string().min(1),
  replicas: z.number().int().min(0).max(100).default(1),
  port: z.number().int().min(1).max(65535).default(4096),
  env: z.record(z.string(), z.string()).default({}),
  /** Name of a Secret holding CODETETHER_AUTH_TOKEN and provider keys (mounted with envFrom). */
  secretName: z.string().optional(),
  serviceAccountName: z.string().default("codetether"),
  resources: z
    .object({
      requests: z.object({ cpu: quantity.optional(), memory: quantity.optional() }).default({}),
      limits: z.object({ cpu: quantity.optional(), memory: quantity.optional() }).default({}),
    })
    .default({ requests: {}, limits: {} }),
  /** Settings rendered into a ConfigMap mounted as environment. */
  config: z.record(z.string(), z.string()).default({}),
});
export type SelfDeploymentSpec = z.infer<typeof SelfDeploymentSpecSchema>;

export const APP_LABEL = "app";
export const ROLE_LABEL = "codetether.run/role";

function labels(spec: SelfDeploymentSpec): Record<string, string> {
  return { [APP_LABEL]: "codetether", "app.kubernetes.io/name": spec.name, [ROLE_LABEL]: "server" };
}

/** The agent's own Deployment, Service and ConfigMap, as applied with server-side apply. */
export function buildManifests(input: z.input<typeof SelfDeploymentSpecSchema>): {
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
  const deployment: V1Deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta,
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: { "app.kubernetes.io/name": spec.name } },
      template: {
        metadata: { labels: labels(spec) },
        spec: {
          serviceAccountName: spec.serviceAccountName,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 },
          containers: [
            {
              name: "codetether",
              image: spec.image,
              args: ["serve", "--host", "0.0.0.0", "--port", String(spec.port)],
              ports: [{ name: "http", containerPort: spec.port }],
              env: [
                ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
                { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                {
                  name: "CODETETHER_K8S_NAMESPACE",
                  valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
                },
                { name: "CODETETHER_DEPLOYMENT_NAME", value: spec.name },
              ],
              envFrom: [
                { configMapRef: { name: `${spec.name}-config` } },
                ...(spec.secretName ? [{ secretRef: { name: spec.secretName } }] : []),
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
            },
          ],
        },
      },
    },
  };
  const service: V1Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta,
    spec: {
      selector: { "app.kubernetes.io/name": spec.name },
      ports: [{ name: "http", port: spec.port, targetPort: "http" }],
    },
  };
  return { deployment, service, configMap };
}
