import fs from "node:fs";
import path from "node:path";
import { loadAllYaml } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  applyOrder,
  createK8sIntegration,
  DEPLOY_SPEC_ANNOTATION,
  deploySelf,
  removeSelf,
  renderSelfDeployment,
} from "../src/index.js";
import { FakeKubeApi } from "./fixtures/fake-kube-api.js";

const deployDir = path.resolve(import.meta.dirname, "../../../deploy/k8s");

/** The objects in deploy/k8s, in file order, without the Lease (the first replica creates it). */
function deployDirObjects(): unknown[] {
  return ["namespace.yaml", "rbac.yaml", "deployment.yaml"]
    .flatMap((f) => loadAllYaml(fs.readFileSync(path.join(deployDir, f), "utf8")) as Array<{ kind: string }>)
    .filter((o) => o.kind !== "Lease");
}

const byKind = (objs: unknown[]) =>
  Object.fromEntries((objs as Array<{ kind: string }>).map((o) => [o.kind, JSON.parse(JSON.stringify(o))]));

describe("rendering deploy/k8s", () => {
  it("with that directory's values renders exactly its objects", () => {
    const rendered = renderSelfDeployment({
      name: "codetether",
      namespace: "codetether",
      image: "ghcr.io/codetether/codetether:latest",
      replicas: 2,
      config: { CODETETHER_DEFAULT_MODEL: "anthropic/claude-sonnet-4-20250514" },
    });
    expect(byKind(applyOrder(rendered))).toEqual(byKind(deployDirObjects()));
  });

  it("substitutes image, replicas, namespace and the token secret", () => {
    const r = renderSelfDeployment({
      name: "agent",
      namespace: "team-a",
      image: "registry.local/ct:1.2",
      replicas: 3,
      secretName: "agent-token",
    });
    const pod = r.deployment.spec?.template.spec;
    expect(pod?.containers[0]?.image).toBe("registry.local/ct:1.2");
    expect(r.deployment.spec?.replicas).toBe(3);
    expect(pod?.containers[0]?.envFrom).toContainEqual({
      secretRef: { name: "agent-token", optional: true },
    });
    for (const o of applyOrder(r).slice(1)) expect(o.metadata?.namespace).toBe("team-a");
    expect(r.roleBinding.subjects?.[0]).toMatchObject({ name: "codetether", namespace: "team-a" });
    expect(() => renderSelfDeployment({ name: "a", namespace: "Team_A", image: "i" })).toThrow(/DNS-1123/);
  });
});

describe("deploySelf / removeSelf against the fake API server", () => {
  let api: FakeKubeApi;
  let kubeconfig: string;
  beforeEach(async () => {
    api = await new FakeKubeApi().start();
    kubeconfig = api.writeKubeconfig();
  });
  afterEach(async () => {
    await api.close();
  });
  const integration = (restoreSelf?: boolean) =>
    createK8sIntegration({
      env: { KUBECONFIG: kubeconfig, CODETETHER_K8S_NAMESPACE: "team-a", HOSTNAME: "r1" },
      serviceAccountDir: "/nonexistent",
      ...(restoreSelf !== undefined ? { restoreSelf } : {}),
    });
  const spec = { name: "codetether", namespace: "team-a", image: "ct:1", replicas: 2 };

  it("creates every object with server-side apply, then updates them, then deletes all but the namespace", async () => {
    const k8s = await integration();
    const first = await deploySelf(k8s.manager.api().objects, spec);
    expect(first.map((a) => `${a.kind}:${a.outcome}`)).toEqual([
      "Namespace:created",
      "ServiceAccount:created",
      "Role:created",
      "RoleBinding:created",
      "ConfigMap:created",
      "Deployment:created",
      "Service:created",
    ]);
    const patches = api.requests.filter((r) => r.method === "PATCH");
    expect(new Set(patches.map((r) => r.contentType))).toEqual(new Set(["application/apply-patch+yaml"]));
    const d = api.store.get("deployments/team-a/codetether");
    expect(JSON.parse(d?.metadata.annotations[DEPLOY_SPEC_ANNOTATION])).toMatchObject(spec);
    expect(api.list("pods", "team-a")).toHaveLength(2);

    const second = await deploySelf(k8s.manager.api().objects, { ...spec, image: "ct:2" });
    expect(second.every((a) => a.outcome !== "created")).toBe(true);
    expect(api.store.get("deployments/team-a/codetether")?.spec.template.spec.containers[0].image).toBe(
      "ct:2",
    );

    const removed = await removeSelf(k8s.manager.api().objects, spec);
    expect(removed.map((r) => `${r.kind}:${r.outcome}`)).toEqual([
      "Service:deleted",
      "Deployment:deleted",
      "ConfigMap:deleted",
      "RoleBinding:deleted",
      "Role:deleted",
      "ServiceAccount:deleted",
    ]);
    expect(api.store.has("namespaces//team-a")).toBe(true);
    const again = await removeSelf(k8s.manager.api().objects, spec);
    expect(again.every((r) => r.outcome === "absent")).toBe(true);
  });

  it("names the object and the missing right on 403", async () => {
    const k8s = await integration();
    api.forbidden.add("patch roles");
    const err = await deploySelf(k8s.manager.api().objects, spec).catch((e: Error) => e);
    expect(String(err)).toMatch(/Role\/codetether in namespace team-a.*403 Forbidden/);
  });

  it("the reconcile loop re-creates a deleted Service and ConfigMap from the deployed spec", async () => {
    const k8s = await integration(true);
    await deploySelf(k8s.manager.api().objects, spec);
    api.store.delete("services/team-a/codetether");
    api.store.delete("configmaps/team-a/codetether-config");
    const report = await k8s.reconciler.runOnce();
    expect(report.error).toBeUndefined();
    expect(report.restored).toEqual(["ConfigMap/codetether-config", "Service/codetether"]);
    expect(api.store.get("services/team-a/codetether")?.spec.ports[0].port).toBe(4096);
    expect((await k8s.reconciler.runOnce()).restored).toBeUndefined();
    await k8s.close();
  });

  it("outside a cluster the loop restores nothing unless asked", async () => {
    const k8s = await integration();
    await deploySelf(k8s.manager.api().objects, spec);
    api.store.delete("services/team-a/codetether");
    expect((await k8s.reconciler.runOnce()).restored).toBeUndefined();
    expect(api.store.has("services/team-a/codetether")).toBe(false);
    await k8s.close();
  });
});
