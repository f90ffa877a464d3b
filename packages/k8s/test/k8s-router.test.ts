import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createK8sIntegration, createK8sRouter, K8S_MOUNT_PATH } from "../src/index.js";
import { FakeKubeApi } from "./fixtures/fake-kube-api.js";

let api: FakeKubeApi;
let base: string;
let close: () => Promise<void>;

async function serve(k8s: Awaited<ReturnType<typeof createK8sIntegration>>) {
  const app = express();
  app.use(express.json());
  app.use(K8S_MOUNT_PATH, createK8sRouter(k8s));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((r) => server.close(() => r()));
}

beforeEach(async () => {
  api = await new FakeKubeApi().start();
});
afterEach(async () => {
  await close?.();
  await api.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("/v1/k8s routes", () => {
  it("scale, pods, health, reconcile, restart and sub-agents over HTTP", async () => {
    const k8s = await createK8sIntegration({
      env: { KUBECONFIG: api.writeKubeconfig(), CODETETHER_K8S_NAMESPACE: "agents" },
      serviceAccountDir: "/x",
    });
    await k8s.manager.apply({ name: "codetether", namespace: "agents", image: "img", replicas: 1 });
    await serve(k8s);
    expect((await post("/v1/k8s/scale", { replicas: 3 })).status).toBe(200);
    const pods = (await (await fetch(`${base}/v1/k8s/pods`)).json()) as { pods: unknown[] };
    expect(pods.pods).toHaveLength(3);
    expect(((await (await post("/v1/k8s/health", {})).json()) as { healthy: boolean }).healthy).toBe(true);
    expect(((await (await post("/v1/k8s/reconcile", {})).json()) as { checked: number }).checked).toBe(3);
    expect((await post("/v1/k8s/restart", {})).status).toBe(200);
    const status = (await (await fetch(`${base}/v1/k8s/status`)).json()) as {
      replicas: { desired: number };
      actions: unknown[];
    };
    expect(status.replicas.desired).toBe(3);
    expect(status.actions.length).toBeGreaterThan(0);
    const created = await post("/v1/k8s/subagent", { task: "hi", image: "img", id: "abc" });
    expect(created.status).toBe(201);
    expect((await fetch(`${base}/v1/k8s/subagent/abc`)).status).toBe(200);
    expect((await fetch(`${base}/v1/k8s/subagent/abc`, { method: "DELETE" })).status).toBe(200);
  });

  it("answers 400 with field errors for bad bodies, 503 when the API server is down, 403 with RBAC hints", async () => {
    const k8s = await createK8sIntegration({
      env: { KUBECONFIG: api.writeKubeconfig(), CODETETHER_K8S_NAMESPACE: "agents" },
      serviceAccountDir: "/x",
    });
    await k8s.manager.apply({ name: "codetether", namespace: "agents", image: "img" });
    await serve(k8s);
    const bad = await post("/v1/k8s/scale", { replicas: "three" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("replicas");
    api.forbidden.add("patch deployments");
    const forbidden = await post("/v1/k8s/restart", {});
    expect(forbidden.status).toBe(403);
    api.down = true;
    const down = await post("/v1/k8s/scale", { replicas: 1 });
    expect(down.status).toBe(503);
  });

  it("answers 409 with the reason when no cluster is available", async () => {
    await serve(await createK8sIntegration({ env: {}, serviceAccountDir: "/x", home: "/nonexistent" }));
    const res = await post("/v1/k8s/scale", { replicas: 1 });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("disabled");
    const status = (await (await fetch(`${base}/v1/k8s/status`)).json()) as { enabled: boolean };
    expect(status.enabled).toBe(false);
  });
});
