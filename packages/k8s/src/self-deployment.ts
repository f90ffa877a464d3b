import type { KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { toK8sError } from "./k8s-error.js";
import {
  applyOrder,
  buildManifests,
  renderSelfDeployment,
  type SelfDeploymentInput,
  SelfDeploymentSpecSchema,
} from "./self-deployment-spec.js";

/** Field manager of every apply, so `kubectl` shows which fields codetether owns. */
export const SELF_FIELD_MANAGER = "codetether";
/** The spec a Deployment was deployed with, so the in-cluster reconcile loop can restore what it owns. */
export const DEPLOY_SPEC_ANNOTATION = "codetether.run/deploy-spec";
const SERVER_SIDE_APPLY = "application/apply-patch+yaml";

export type ApplyOutcome = "created" | "configured" | "unchanged";
export interface AppliedObject {
  kind: string;
  name: string;
  namespace?: string;
  outcome: ApplyOutcome;
}
export interface DeleteResult {
  kind: string;
  name: string;
  namespace: string;
  outcome: "deleted" | "absent";
}

export interface DeployOptions {
  /** Create/update the Namespace (cluster-scoped: needs rights a namespace admin may lack). Default true. */
  namespace?: boolean;
  /** Create/update ServiceAccount, Role and RoleBinding. Default true. */
  rbac?: boolean;
}

const label = (o: KubernetesObject) =>
  `${o.kind}/${o.metadata?.name}${o.metadata?.namespace ? ` in namespace ${o.metadata.namespace}` : ""}`;

function isNotFound(err: unknown): boolean {
  return (err as { code?: number })?.code === 404;
}

async function readOrUndefined(
  objects: KubernetesObjectApi,
  obj: KubernetesObject,
): Promise<KubernetesObject | undefined> {
  try {
    return await objects.read(obj as KubernetesObject & { metadata: { name: string } });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Server-side apply of one object; says whether it was created, changed or already as wanted. */
async function applyOne(objects: KubernetesObjectApi, obj: KubernetesObject): Promise<AppliedObject> {
  try {
    const before = await readOrUndefined(objects, obj);
    const after = await objects.patch(obj, undefined, undefined, SELF_FIELD_MANAGER, true, SERVER_SIDE_APPLY);
    const outcome: ApplyOutcome = !before
      ? "created"
      : before.metadata?.resourceVersion === after.metadata?.resourceVersion
        ? "unchanged"
        : "configured";
    return {
      kind: obj.kind ?? "",
      name: obj.metadata?.name ?? "",
      ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
      outcome,
    };
  } catch (err) {
    throw toK8sError(err, `apply ${label(obj)}`);
  }
}

/**
 * Creates or updates codetether's own objects (those of `deploy/k8s`) with server-side apply, in dependency
 * order. The first failure stops the run with an error naming the object.
 */
export async function deploySelf(
  objects: KubernetesObjectApi,
  input: SelfDeploymentInput,
  options: DeployOptions = {},
): Promise<AppliedObject[]> {
  const spec = SelfDeploymentSpecSchema.parse(input);
  const rendered = renderSelfDeployment(spec);
  rendered.deployment.metadata = {
    ...rendered.deployment.metadata,
    annotations: { [DEPLOY_SPEC_ANNOTATION]: JSON.stringify(spec) },
  };
  const skip = new Set<KubernetesObject>();
  if (options.namespace === false) skip.add(rendered.namespace);
  if (options.rbac === false) {
    for (const o of [rendered.serviceAccount, rendered.role, rendered.roleBinding]) skip.add(o);
  }
  const applied: AppliedObject[] = [];
  for (const obj of applyOrder(rendered)) {
    if (!skip.has(obj)) applied.push(await applyOne(objects, obj));
  }
  return applied;
}

/**
 * Deletes what {@link deploySelf} created, the workload first, leaving the namespace (it may hold other
 * things, such as the token Secret). Objects already gone are reported as `absent`.
 */
export async function removeSelf(
  objects: KubernetesObjectApi,
  target: { name: string; namespace: string; serviceAccountName?: string; rbac?: boolean },
): Promise<DeleteResult[]> {
  const { name, namespace } = target;
  const sa = target.serviceAccountName ?? "codetether";
  const refs: Array<[string, string, string]> = [
    ["v1", "Service", name],
    ["apps/v1", "Deployment", name],
    ["v1", "ConfigMap", `${name}-config`],
    ...(target.rbac === false
      ? []
      : ([
          ["rbac.authorization.k8s.io/v1", "RoleBinding", sa],
          ["rbac.authorization.k8s.io/v1", "Role", sa],
          ["v1", "ServiceAccount", sa],
        ] as Array<[string, string, string]>)),
  ];
  const results: DeleteResult[] = [];
  for (const [apiVersion, kind, objName] of refs) {
    const obj = { apiVersion, kind, metadata: { name: objName, namespace } };
    try {
      await objects.delete(obj);
      results.push({ kind, name: objName, namespace, outcome: "deleted" });
    } catch (err) {
      if (!isNotFound(err)) throw toK8sError(err, `delete ${label(obj)}`);
      results.push({ kind, name: objName, namespace, outcome: "absent" });
    }
  }
  return results;
}

/**
 * For the in-cluster reconcile loop: re-creates this deployment's ConfigMap and Service when they are gone
 * (deleted by hand, or a half-finished deploy), from the spec `codetether k8s deploy` stored on the
 * Deployment. Returns what it re-created; nothing when the Deployment was not deployed by codetether.
 */
export async function restoreSelfObjects(
  objects: KubernetesObjectApi,
  self: { name: string; namespace: string },
): Promise<string[]> {
  let deployment: KubernetesObject | undefined;
  try {
    deployment = await readOrUndefined(objects, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: self.name, namespace: self.namespace },
    });
  } catch (err) {
    throw toK8sError(err, `read deployment ${self.namespace}/${self.name}`);
  }
  const stored = deployment?.metadata?.annotations?.[DEPLOY_SPEC_ANNOTATION];
  if (!stored) return [];
  let parsed: ReturnType<typeof SelfDeploymentSpecSchema.safeParse>;
  try {
    parsed = SelfDeploymentSpecSchema.safeParse(JSON.parse(stored));
  } catch {
    return []; // an annotation edited into invalid JSON: nothing to restore from
  }
  if (!parsed.success) return [];
  const { configMap, service } = buildManifests(parsed.data);
  const restored: string[] = [];
  for (const obj of [configMap, service]) {
    let present: KubernetesObject | undefined;
    try {
      present = await readOrUndefined(objects, obj);
    } catch (err) {
      throw toK8sError(err, `read ${label(obj)}`);
    }
    if (present) continue;
    await applyOne(objects, obj);
    restored.push(`${obj.kind}/${obj.metadata?.name}`);
  }
  return restored;
}
