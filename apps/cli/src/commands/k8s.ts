import fs from "node:fs";
import path from "node:path";
import { toJsonText } from "@codetether/core";
import type { K8sError, KubeClients, SelfDeploymentInput } from "@codetether/k8s";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { printDeleted, printDeployed, printStatus } from "./k8s-output.js";

export interface K8sCommandOptions {
  kubeconfig?: string;
  namespace?: string;
  name?: string;
  json?: boolean;
  image?: string;
  replicas?: number;
  secret?: string;
  model?: string;
  rbac?: boolean;
  createNamespace?: boolean;
  dryRun?: boolean;
  keepRbac?: boolean;
  version: string;
}

type Sub = "deploy" | "status" | "scale" | "delete";

function specOf(o: K8sCommandOptions): SelfDeploymentInput {
  const config: Record<string, string> = o.model ? { CODETETHER_DEFAULT_MODEL: o.model } : {};
  return {
    name: o.name ?? "codetether",
    namespace: o.namespace ?? "codetether",
    image: o.image ?? `ghcr.io/codetether/codetether:${o.version}`,
    replicas: o.replicas ?? 1,
    ...(o.secret ? { secretName: o.secret } : {}),
    config,
  };
}

/** The cluster from --kubeconfig, KUBECONFIG, ~/.kube/config or the pod's service account; else exit 2. */
async function connect(o: K8sCommandOptions, io: CliIO) {
  const k8s = await import("@codetether/k8s");
  const kubeconfig = o.kubeconfig ? path.resolve(io.cwd, o.kubeconfig) : undefined;
  if (kubeconfig && !fs.existsSync(kubeconfig))
    throw new CliError(`--kubeconfig ${kubeconfig}: no such file.`, ExitCode.Usage);
  const settings = k8s.detectCluster({
    env: {
      ...io.env,
      ...(kubeconfig ? { KUBECONFIG: kubeconfig } : {}),
      CODETETHER_K8S_NAMESPACE: o.namespace ?? "codetether",
      CODETETHER_DEPLOYMENT_NAME: o.name ?? "codetether",
    },
  });
  if (settings.mode === "disabled")
    throw new CliError(
      `No Kubernetes cluster to talk to: ${settings.reason}. Pass --kubeconfig <file>, set KUBECONFIG, or run ` +
        "inside a pod with a service account.",
      ExitCode.Usage,
    );
  let clients: KubeClients;
  try {
    clients = await k8s.createKubeClients(settings);
  } catch (err) {
    throw new CliError(
      `Cannot load the cluster configuration (${settings.reason}): ${(err as Error).message}`,
      ExitCode.Usage,
    );
  }
  return { k8s, settings, clients, manager: new k8s.K8sManager(settings, clients) };
}

/** A Kubernetes API failure as a one-line error naming the API server (exit 1). */
function failure(err: unknown, server: string | undefined): CliError {
  const e = err as K8sError;
  if (e?.name !== "K8sError") return new CliError((err as Error)?.message ?? String(err));
  const where = server ? ` (API server ${server})` : "";
  const hint =
    e.kind === "unavailable"
      ? " Check that the cluster is running and reachable, and that the kubeconfig's server address is right."
      : "";
  return new CliError(`${e.message}${where}.${hint}`, ExitCode.Failure);
}

/** `codetether k8s <sub>`: see the README section "Kubernetes". */
export async function k8sCommand(sub: Sub, o: K8sCommandOptions, io: CliIO): Promise<number> {
  if (sub === "deploy" && o.dryRun) {
    const k8s = await import("@codetether/k8s");
    const objects = k8s.applyOrder(k8s.renderSelfDeployment(specOf(o)));
    if (o.json) io.stdout.write(toJsonText({ kind: "List", apiVersion: "v1", items: objects }));
    else {
      io.stdout.write(await k8s.toYamlStream(objects));
    }
    return ExitCode.Success;
  }
  const c = await connect(o, io);
  try {
    switch (sub) {
      case "deploy": {
        const applied = await c.k8s.deploySelf(c.clients.objects, specOf(o), {
          rbac: o.rbac !== false,
          namespace: o.createNamespace !== false,
        });
        printDeployed(io, o.json, applied);
        return ExitCode.Success;
      }
      case "status": {
        const s = await c.k8s.readSelfStatus(c.manager);
        printStatus(io, o.json, s);
        return s.deployed ? ExitCode.Success : ExitCode.Failure;
      }
      case "scale": {
        const replicas = o.replicas ?? 0;
        await c.manager.scale(replicas).catch((err: unknown) => {
          const e = c.k8s.toK8sError(
            err,
            `scale deployment ${c.settings.namespace}/${c.settings.deploymentName}`,
          );
          if (e.kind !== "not_found") throw e;
          throw new c.k8s.K8sError(
            `There is no Deployment ${c.settings.deploymentName} in namespace ${c.settings.namespace} to scale. ` +
              "Deploy it first with `codetether k8s deploy`",
            "not_found",
            404,
          );
        });
        if (o.json)
          io.stdout.write(
            toJsonText({ namespace: c.settings.namespace, name: c.settings.deploymentName, replicas }),
          );
        else
          io.stdout.write(
            `Deployment ${c.settings.namespace}/${c.settings.deploymentName} scaled to ${replicas} replica${replicas === 1 ? "" : "s"}.\n`,
          );
        return ExitCode.Success;
      }
      case "delete": {
        const removed = await c.k8s.removeSelf(c.clients.objects, {
          name: c.settings.deploymentName,
          namespace: c.settings.namespace,
          rbac: !o.keepRbac,
        });
        printDeleted(io, o.json, removed);
        return ExitCode.Success;
      }
    }
  } catch (err) {
    throw failure(err, c.clients.server);
  }
}
