import { randomUUID } from "node:crypto";
import { lazySchema } from "@codetether/core";
import { z } from "zod";
import { K8sError, toK8sError } from "./k8s-error.js";
import type { K8sManager } from "./k8s-manager.js";
import { APP_LABEL, ROLE_LABEL } from "./self-deployment-spec.js";

export const SUBAGENT_ID_LABEL = "codetether.run/subagent-id";

export const SubagentRequestSchema = lazySchema(() =>
  z.object({
    task: z.string().min(1).max(100_000),
    image: z.string().min(1),
    model: z.string().optional(),
    id: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/)
      .optional(),
    cpu: z.string().default("500m"),
    memory: z.string().default("512Mi"),
    /** Secret with provider keys for the sub-agent. */
    secretName: z.string().optional(),
  }),
);
export type SubagentRequest = z.input<typeof SubagentRequestSchema>;

export interface SubagentStatus {
  id: string;
  pod: string;
  phase: string;
  /** Final output (pod logs) once the pod finished. */
  output?: string;
  exitCode?: number;
}

/** Sub-agents as pods: one `codetether run --json` per pod, restartPolicy Never, collected from logs. */
export class SubagentPods {
  constructor(private readonly manager: K8sManager) {}

  async spawn(input: SubagentRequest): Promise<SubagentStatus> {
    const req = SubagentRequestSchema.parse(input);
    const id = req.id ?? `sa-${randomUUID().slice(0, 8)}`;
    const { core } = this.manager.api();
    const name = `codetether-${id}`;
    const args = ["run", "--json", ...(req.model ? ["--model", req.model] : []), req.task];
    try {
      await core.createNamespacedPod({
        namespace: this.manager.settings.namespace,
        body: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name,
            labels: { [APP_LABEL]: "codetether", [ROLE_LABEL]: "subagent", [SUBAGENT_ID_LABEL]: id },
          },
          spec: {
            restartPolicy: "Never",
            securityContext: { runAsNonRoot: true, runAsUser: 10001 },
            containers: [
              {
                name: "subagent",
                image: req.image,
                args,
                resources: {
                  requests: { cpu: req.cpu, memory: req.memory },
                  limits: { cpu: req.cpu, memory: req.memory },
                },
                ...(req.secretName ? { envFrom: [{ secretRef: { name: req.secretName } }] } : {}),
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              },
            ],
          },
        },
      });
    } catch (err) {
      this.manager.history.record({
        action: "spawn-subagent",
        target: `pod/${name}`,
        outcome: "failure",
        detail: String(err),
      });
      throw toK8sError(err, `create sub-agent pod ${name}`);
    }
    this.manager.history.record({ action: "spawn-subagent", target: `pod/${name}`, outcome: "success" });
    return { id, pod: name, phase: "Pending" };
  }

  /** Status of a sub-agent; once it finished, its output from the pod log. */
  async get(id: string): Promise<SubagentStatus> {
    const { core } = this.manager.api();
    const namespace = this.manager.settings.namespace;
    let pods: Awaited<ReturnType<typeof core.listNamespacedPod>>;
    try {
      pods = await core.listNamespacedPod({ namespace, labelSelector: `${SUBAGENT_ID_LABEL}=${id}` });
    } catch (err) {
      throw toK8sError(err, `find sub-agent ${id}`);
    }
    const pod = pods.items[0];
    if (!pod?.metadata?.name) throw new K8sError(`No sub-agent "${id}" in ${namespace}.`, "not_found");
    const phase = pod.status?.phase ?? "Unknown";
    const status: SubagentStatus = { id, pod: pod.metadata.name, phase };
    if (phase === "Succeeded" || phase === "Failed") {
      const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
      if (terminated?.exitCode !== undefined) status.exitCode = terminated.exitCode;
      try {
        status.output = await core.readNamespacedPodLog({ name: pod.metadata.name, namespace });
      } catch (err) {
        status.output = terminated?.message ?? `(logs unavailable: ${toK8sError(err, "read logs").message})`;
      }
    }
    return status;
  }

  async delete(id: string): Promise<void> {
    const { core } = this.manager.api();
    const name = `codetether-${id}`;
    try {
      await core.deleteNamespacedPod({ name, namespace: this.manager.settings.namespace });
      this.manager.history.record({ action: "delete-subagent", target: `pod/${name}`, outcome: "success" });
    } catch (err) {
      throw toK8sError(err, `delete sub-agent pod ${name}`);
    }
  }

  /** Deletes every finished sub-agent pod (cleanup after a swarm run). */
  async cleanupFinished(): Promise<string[]> {
    const pods = await this.manager.pods(`${ROLE_LABEL}=subagent`);
    const done = pods.filter((p) => p.phase === "Succeeded" || p.phase === "Failed");
    for (const p of done)
      await this.manager
        .api()
        .core.deleteNamespacedPod({ name: p.name, namespace: this.manager.settings.namespace });
    return done.map((p) => p.name);
  }
}
