import fs from "node:fs";
import net from "node:net";
import path from "node:path";
// An in-memory Kubernetes API server speaking the JSON wire protocol (the one @codetether/k8s tests use).
import { FakeKubeApi } from "@codetether/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";

let api: FakeKubeApi;
let sandbox: Awaited<ReturnType<typeof makeSandbox>>;
let kubeconfig: string;

beforeEach(async () => {
  api = await new FakeKubeApi().start();
  sandbox = await makeSandbox();
  kubeconfig = api.writeKubeconfig(sandbox.dir);
});
afterEach(async () => {
  await api.close();
});

const k8s = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCli(["k8s", ...args], { cwd: sandbox.work, env: { ...sandbox.env, ...extraEnv } });
const withCluster = (args: string[]) => k8s([...args, "--kubeconfig", kubeconfig]);
const lines = (s: string) => s.trim().split("\n");

describe("codetether k8s (real CLI against a fake API server)", () => {
  it("deploy creates namespace, RBAC, ConfigMap, Deployment and Service; a second deploy updates them", async () => {
    const first = await withCluster([
      "deploy",
      "--image",
      "registry.local/codetether:1.2",
      "--replicas",
      "2",
      "-n",
      "team-a",
      "--secret",
      "ct-token",
      "-m",
      "openai/gpt-4o",
      "--json",
    ]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const { applied } = JSON.parse(first.stdout) as { applied: Array<{ kind: string; outcome: string }> };
    expect(applied.map((a) => `${a.kind} ${a.outcome}`)).toEqual([
      "Namespace created",
      "ServiceAccount created",
      "Role created",
      "RoleBinding created",
      "ConfigMap created",
      "Deployment created",
      "Service created",
    ]);
    const d = api.store.get("deployments/team-a/codetether");
    const container = d?.spec.template.spec.containers[0];
    expect(container.image).toBe("registry.local/codetether:1.2");
    expect(d?.spec.replicas).toBe(2);
    expect(container.envFrom).toContainEqual({ secretRef: { name: "ct-token", optional: true } });
    expect(api.store.get("configmaps/team-a/codetether-config")?.data).toEqual({
      CODETETHER_DEFAULT_MODEL: "openai/gpt-4o",
    });
    expect(api.store.get("rolebindings/team-a/codetether")?.subjects[0].namespace).toBe("team-a");
    expect(
      api.requests.filter((r) => r.method === "PATCH").every((r) => r.contentType?.includes("apply-patch")),
    ).toBe(true);

    const second = await withCluster(["deploy", "--image", "registry.local/codetether:1.3", "-n", "team-a"]);
    expect(second.code).toBe(0);
    expect(lines(second.stdout)).toContain("Deployment/codetether (team-a) configured");
    expect(api.store.get("deployments/team-a/codetether")?.spec.template.spec.containers[0].image).toBe(
      "registry.local/codetether:1.3",
    );
  });

  it("status, scale and delete", async () => {
    expect((await withCluster(["deploy", "--image", "ct:1"])).code).toBe(0);
    const status = await withCluster(["status", "--json"]);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s).toMatchObject({ namespace: "codetether", name: "codetether", deployed: true, image: "ct:1" });
    expect(s.replicas.desired).toBe(1);
    expect(s.service.ports).toEqual([
      { name: "http", port: 4096 },
      { name: "grpc", port: 4097 },
    ]);
    expect(s.pods).toHaveLength(1);

    const scaled = await withCluster(["scale", "3"]);
    expect(scaled.code).toBe(0);
    expect(scaled.stdout).toContain("scaled to 3 replicas");
    expect(api.store.get("deployments/codetether/codetether")?.spec.replicas).toBe(3);
    const text = await withCluster(["status"]);
    expect(text.stdout).toContain("Deployment codetether/codetether: 3/3 ready");
    expect(text.stdout.match(/ pod /g)).toHaveLength(3);

    const del = await withCluster(["delete", "--json"]);
    expect(del.code).toBe(0);
    expect(
      JSON.parse(del.stdout).deleted.map((r: { kind: string; outcome: string }) => `${r.kind} ${r.outcome}`),
    ).toEqual([
      "Service deleted",
      "Deployment deleted",
      "ConfigMap deleted",
      "RoleBinding deleted",
      "Role deleted",
      "ServiceAccount deleted",
    ]);
    expect(api.store.has("namespaces//codetether")).toBe(true);
    const gone = await withCluster(["status"]);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toContain("No Deployment codetether in namespace codetether");
  });

  it("scale before deploy says to deploy first", async () => {
    const res = await withCluster(["scale", "2"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("no Deployment codetether in namespace codetether to scale");
    expect(res.stderr).toContain("codetether k8s deploy");
    expect(res.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("a 403 names the object and the Role to fix, in one line, exit 1", async () => {
    api.forbidden.add("patch roles");
    const res = await withCluster(["deploy", "--image", "ct:1"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/apply Role\/codetether in namespace codetether \(403 Forbidden\)/);
    expect(res.stderr).toContain(`API server ${api.url}`);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unreachable API server is reported with its address, exit 1", async () => {
    const port = await closedPort();
    fs.writeFileSync(
      kubeconfig,
      fs.readFileSync(kubeconfig, "utf8").replace(api.url, `http://127.0.0.1:${port}`),
    );
    const res = await withCluster(["status"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("Kubernetes API unavailable");
    expect(res.stderr).toContain(`API server http://127.0.0.1:${port}`);
    expect(res.stderr).toContain("Check that the cluster is running");
  });

  it("without a cluster: exit 2 and what to do; --dry-run needs none", async () => {
    const res = await k8s(["status"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("No Kubernetes cluster to talk to");
    expect(res.stderr).toContain("--kubeconfig");
    const missing = await k8s(["status", "--kubeconfig", path.join(sandbox.dir, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");

    const dry = await k8s(["deploy", "--dry-run", "--image", "ct:9", "--replicas", "4"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("kind: Deployment");
    expect(dry.stdout).toContain("image: ct:9");
    expect(dry.stdout).toContain("replicas: 4");
    expect(dry.stdout.split("---\n")).toHaveLength(7);
    const bad = await k8s(["scale", "-1"]);
    expect(bad.code).toBe(2);
  });
});

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
