import { type Command, Option } from "commander";
import { CliError } from "../exit-codes.js";
import { processIO } from "../io.js";
import type { Act } from "./act.js";

function parseReplicas(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100)
    throw new CliError(`replicas must be a whole number from 0 to 100, got "${value}".`, 2);
  return n;
}

/** Options every `k8s` subcommand takes: where the cluster is and which deployment. */
function target(cmd: Command): Command {
  return cmd
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)")
    .option("-n, --namespace <ns>", "namespace of the deployment", "codetether")
    .option("--name <name>", "name of the Deployment and Service", "codetether")
    .option("--json", "print one JSON object");
}

/** `codetether k8s deploy|status|scale|delete`: codetether's own Deployment, Service and RBAC. */
export function registerK8sCommands(program: Command, act: Act, version: string): void {
  const k8s = program
    .command("k8s")
    .description(
      "Deploy codetether to Kubernetes and manage that deployment (deploy, status, scale, delete)",
    );
  const run = (sub: "deploy" | "status" | "scale" | "delete") =>
    act(async (...args: unknown[]) => {
      const { k8sCommand } = await import("../commands/k8s.js");
      const options = args.find((a) => a && typeof a === "object" && !Array.isArray(a)) as Record<
        string,
        unknown
      >;
      const replicas = typeof args[0] === "number" ? args[0] : undefined;
      return k8sCommand(
        sub,
        { ...options, ...(replicas !== undefined ? { replicas } : {}), version },
        processIO(),
      );
    });
  target(
    k8s
      .command("deploy")
      .description(
        "Create or update the Namespace, ServiceAccount, Role, RoleBinding, ConfigMap, Deployment and Service " +
          "of deploy/k8s (server-side apply)",
      ),
  )
    .option("--image <ref>", `container image (default: ghcr.io/codetether/codetether:${version})`)
    .option("--replicas <n>", "number of replicas (default 1)", parseReplicas)
    .option("--secret <name>", "Secret with CODETETHER_AUTH_TOKEN and provider keys", "codetether-secrets")
    .option("-m, --model <provider/model>", "default model (CODETETHER_DEFAULT_MODEL in the ConfigMap)")
    .option("--no-rbac", "do not create the ServiceAccount, Role and RoleBinding")
    .option("--no-create-namespace", "do not create the namespace (it must exist)")
    .option("--dry-run", "print the objects instead of applying them (needs no cluster)")
    .action(run("deploy"));
  target(k8s.command("status").description("Show the Deployment, its Service and its pods")).action(
    run("status"),
  );
  target(
    k8s
      .command("scale")
      .description("Set the Deployment's replica count")
      .argument("<replicas>", "0 to 100", parseReplicas),
  ).action(run("scale"));
  target(
    k8s
      .command("delete")
      .description("Delete the Deployment, Service, ConfigMap and RBAC objects (the namespace is kept)"),
  )
    .addOption(new Option("--keep-rbac", "leave the ServiceAccount, Role and RoleBinding"))
    .action(run("delete"));
}
