import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createK8sIntegration, detectCluster, K8sError, RESTART_ANNOTATION } from "../src/index.js";
import { FakeKubeApi } from "./fixtures/fake-kube-api.js";

let api: FakeKubeApi;
let kubeconfig: string;

beforeEach(async () => {
  api = await new FakeKubeApi().start();
  kubeconfig = api.writeKubeconfig();
});
afterEach(async () => {
  await api.close();
});

function integration(extra: Parameters<typeof createK8sIntegration>[0] = {}) {
  return createK8sIntegration({
    env: {
      KUBECONFIG: kubeconfig,
      CODETETHER_K8S_NAMESPACE: "agents",
      CODETETHER_DEPLOYMENT_NAME: "codetether",
      HOSTNAME: "replica-a",
    },
    serviceAccountDir: "/nonexistent",
    ...extra,
  });
}

const spec = { name: "codetether", namespace: "agents", image: "codetether:test", replicas: 2 };

describe("cluster detection", () => {
  it("is disabled with a reason when there is no cluster", () => {
    const s = detectCluster({ env: {}, serviceAccountDir: "/nonexistent", home: "/nonexistent" });
    expect(s.mode).toBe("disabled");
    expect(s.reason).toContain("no kubeconfig");
  });
  it("prefers the in-cluster service account", () => {
    const sa = fs.mkdtempSync(path.join(os.tmpdir(), "ct-sa-"));
    fs.writeFileSync(path.join(sa, "token"), "t");
    fs.writeFileSync(path.join(sa, "namespace"), "prod\n");
    const s = detectCluster({
      env: { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBECONFIG: kubeconfig },
      serviceAccountDir: sa,
    });
    expect(s).toMatchObject({ mode: "in-cluster", namespace: "prod" });
  });
  it("uses KUBECONFIG and the namespace/deployment env vars", async () => {
    const s = (await integration()).settings;
    expect(s).toMatchObject({
      mode: "kubeconfig",
      namespace: "agents",
      deploymentName: "codetether",
      identity: "replica-a",
    });
  });
});

describe("K8sManager against the fake API server (real client-node)", () => {
  it("self-deploys with server-side apply, scales, and rolling-restarts", async () => {
    const k8s = await integration();
    await k8s.manager.apply(spec);
    const applies = api.requests.filter((r) => r.method === "PATCH");
    expect(applies.map((r) => r.contentType)).toEqual(Array(3).fill("application/apply-patch+yaml"));
    expect(api.store.has("configmaps/agents/codetether-config")).toBe(true);
    expect(api.store.has("services/agents/codetether")).toBe(true);
    expect((await k8s.manager.pods()).length).toBe(2);

    await k8s.manager.scale(3);
    expect((await k8s.manager.status()).replicas?.desired).toBe(3);
    expect((await k8s.manager.pods()).length).toBe(3);

    const before = (await k8s.manager.pods()).map((p) => p.name).sort();
    await k8s.manager.restart();
    const d = api.store.get("deployments/agents/codetether");
    expect(d?.spec.template.metadata.annotations[RESTART_ANNOTATION]).toBeTruthy();
    const after = (await k8s.manager.pods()).map((p) => p.name).sort();
    expect(after).toHaveLength(3);
    expect(after.some((n) => before.includes(n))).toBe(false);
    expect(k8s.manager.history.list().map((a) => a.action)).toEqual(
      expect.arrayContaining(["apply", "scale", "restart"]),
    );
    await expect(k8s.manager.scale(-1)).rejects.toThrow(/0 to 100/);
  });

  it("reconcile replaces a crash-looping pod and leaves healthy ones", async () => {
    const k8s = await integration();
    await k8s.manager.apply(spec);
    const [bad, good] = await k8s.manager.pods();
    const pod = api.store.get(`pods/agents/${bad?.name}`);
    pod!.status.containerStatuses[0].state = { waiting: { reason: "CrashLoopBackOff" } };
    pod!.status.containerStatuses[0].restartCount = 7;
    const report = await k8s.reconciler.runOnce();
    expect(report.leader).toBe(true);
    expect(report.replaced).toEqual([
      { pod: bad?.name, reason: expect.stringContaining("CrashLoopBackOff") },
    ]);
    const names = (await k8s.manager.pods()).map((p) => p.name);
    expect(names).toHaveLength(2);
    expect(names).toContain(good?.name);
    expect(names).not.toContain(bad?.name);
  });

  it("only the lease holder reconciles; a follower takes over after the lease expires", async () => {
    let now = Date.now();
    const a = await integration({ leaseDurationSeconds: 10 });
    const b = await integration({
      leaseDurationSeconds: 10,
      env: { KUBECONFIG: kubeconfig, CODETETHER_K8S_NAMESPACE: "agents", HOSTNAME: "replica-b" },
    });
    // Inject clocks so expiry is deterministic.
    for (const k of [a, b])
      (k.reconciler.options.elector as unknown as { options: { now: () => Date } }).options.now = () =>
        new Date(now);
    await a.manager.apply(spec);
    const ra = await a.reconciler.runOnce();
    const rb = await b.reconciler.runOnce();
    expect([ra.leader, rb.leader]).toEqual([true, false]);
    expect(rb.skipped).toBe("not the leader");
    expect(api.store.get("leases/agents/codetether-leader")?.spec.holderIdentity).toBe("replica-a");
    now += 11_000;
    expect((await b.reconciler.runOnce()).leader).toBe(true);
    expect((await a.reconciler.runOnce()).leader).toBe(false);
    expect(api.store.get("leases/agents/codetether-leader")?.spec.leaseTransitions).toBe(1);
  });

  it("keeps looping and reporting while the API server is down, then recovers", async () => {
    const reports: Array<{ error?: string }> = [];
    const k8s = await integration({ reconcileIntervalMs: 20, onReport: (r) => reports.push(r) });
    await k8s.manager.apply(spec);
    api.down = true;
    k8s.reconciler.options.maxBackoffMs = 40;
    k8s.start();
    await waitFor(() => reports.filter((r) => r.error).length >= 2);
    expect(reports.at(-1)?.error).toMatch(/unavailable/i);
    expect(k8s.reconciler.status.consecutiveFailures).toBeGreaterThanOrEqual(2);
    api.down = false;
    await waitFor(() => reports.at(-1)?.error === undefined && reports.length > 2);
    expect(k8s.reconciler.status.consecutiveFailures).toBe(0);
    await k8s.close();
  });

  it("explains RBAC 403 errors", async () => {
    const k8s = await integration();
    await k8s.manager.apply(spec);
    api.forbidden.add("patch deployments");
    const err = await k8s.manager.restart().catch((e) => e);
    expect(err).toBeInstanceOf(K8sError);
    expect(err.kind).toBe("forbidden");
    expect(err.message).toContain("Role");
  });

  it("runs sub-agents as pods, collects their output, and cleans up", async () => {
    const k8s = await integration();
    const sa = await k8s.subagents.spawn({ task: "summarise README", image: "codetether:test", id: "job1" });
    const pod = api.store.get(`pods/agents/${sa.pod}`);
    expect(pod?.metadata.labels).toMatchObject({ app: "codetether", "codetether.run/role": "subagent" });
    expect(pod?.spec.restartPolicy).toBe("Never");
    expect(pod?.spec.containers[0].args).toEqual(["run", "--json", "summarise README"]);
    pod!.status = {
      phase: "Succeeded",
      containerStatuses: [
        {
          name: "subagent",
          ready: false,
          restartCount: 0,
          image: "x",
          imageID: "x",
          state: { terminated: { exitCode: 0 } },
        },
      ],
    };
    api.podLogs.set(sa.pod, '{"type":"done","text":"summary"}\n');
    const got = await k8s.subagents.get("job1");
    expect(got).toMatchObject({
      phase: "Succeeded",
      exitCode: 0,
      output: expect.stringContaining("summary"),
    });
    expect(await k8s.subagents.cleanupFinished()).toEqual([sa.pod]);
    await expect(k8s.subagents.get("job1")).rejects.toThrow(/No sub-agent/);
  });

  it("reports a disabled cluster instead of failing", async () => {
    const k8s = await createK8sIntegration({
      env: {},
      serviceAccountDir: "/nonexistent",
      home: "/nonexistent",
    });
    expect((await k8s.manager.status()).enabled).toBe(false);
    expect(() => k8s.manager.api()).toThrow(/disabled/);
    expect(new KubeConfig()).toBeDefined();
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
