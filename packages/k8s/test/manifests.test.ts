import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildManifests } from "../src/index.js";
import { FakeKubeApi } from "./fixtures/fake-kube-api.js";

const deployDir = path.resolve(import.meta.dirname, "../../../deploy/k8s");
/** Async, so the in-process fake API server can answer kubectl's discovery requests. */
function kubectl(
  args: string[],
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("kubectl", args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input ?? "");
  });
}

const hasKubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;

let api: FakeKubeApi;
let kubeconfig: string;
beforeAll(async () => {
  api = await new FakeKubeApi().start();
  kubeconfig = api.writeKubeconfig();
});
afterAll(async () => {
  await api.close();
});

describe("deploy/k8s manifests", () => {
  it.skipIf(!hasKubectl)(
    "pass kubectl apply --dry-run=client (kinds resolved through API discovery)",
    async () => {
      // kubectl maps every kind to a REST resource via discovery, served here by the fake API server; OpenAPI
      // schema validation needs a real cluster's schema, which is not available offline (--validate=false).
      const res = await kubectl([
        "apply",
        "--dry-run=client",
        "--validate=false",
        "--kubeconfig",
        kubeconfig,
        "-f",
        deployDir,
      ]);
      expect(res.stderr).toBe("");
      expect(res.status).toBe(0);
      for (const obj of [
        "namespace/codetether",
        "serviceaccount/codetether",
        "role.rbac.authorization.k8s.io/codetether",
        "rolebinding.rbac.authorization.k8s.io/codetether",
        "deployment.apps/codetether",
        "service/codetether",
        "configmap/codetether-config",
        "lease.coordination.k8s.io/codetether-leader",
      ]) {
        expect(res.stdout).toContain(`${obj} created (dry run)`);
      }
    },
  );

  it.skipIf(!hasKubectl)("rejects a broken manifest", async () => {
    const res = await kubectl(
      ["apply", "--dry-run=client", "--validate=false", "--kubeconfig", kubeconfig, "-f", "-"],
      "apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n",
    );
    expect(res.status).not.toBe(0);
  });

  it("the typed self-deployment spec renders a hardened Deployment", () => {
    const { deployment, service, configMap } = buildManifests({
      name: "codetether",
      namespace: "agents",
      image: "img:1",
      config: { A: "b" },
    });
    const container = deployment.spec?.template.spec?.containers[0];
    expect(container?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    expect(deployment.spec?.template.spec?.securityContext?.runAsNonRoot).toBe(true);
    expect(service.spec?.ports?.[0]?.port).toBe(4096);
    expect(configMap.data).toEqual({ A: "b" });
    expect(() => buildManifests({ name: "Bad_Name", namespace: "a", image: "i" })).toThrow(/DNS-1123/);
  });
});
