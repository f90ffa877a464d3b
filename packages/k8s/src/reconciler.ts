import { toK8sError } from "./k8s-error.js";
import type { K8sManager } from "./k8s-manager.js";
import type { LeaseElector } from "./leader-election.js";

export interface ReconcileReport {
  time: string;
  leader: boolean;
  skipped?: string;
  checked: number;
  replaced: Array<{ pod: string; reason: string }>;
  scaledTo?: number;
  /** Objects of this deployment re-created because they were missing (in-cluster). */
  restored?: string[];
  error?: string;
}

export interface ReconcilerOptions {
  manager: K8sManager;
  /** Only the lease holder reconciles; without an elector this replica always does. */
  elector?: LeaseElector;
  intervalMs?: number;
  /** Upper bound of the backoff after failing rounds. */
  maxBackoffMs?: number;
  /** Desired replica count to hold the deployment at (unset: leave scaling to users). */
  desiredReplicas?: number;
  /** A pod replaced less than this long ago is not replaced again (gives its successor time to start). */
  replaceCooldownMs?: number;
  /** Re-creates this deployment's missing objects (the ConfigMap and Service `codetether k8s deploy` made). */
  restoreSelf?: () => Promise<string[]>;
  onReport?: (report: ReconcileReport) => void;
}

/**
 * The health loop: every interval (30 s by default) the leader compares desired and observed state,
 * replaces unhealthy pods, and backs off exponentially while the API server fails — it never stops.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private failures = 0;
  private readonly recentlyReplaced = new Map<string, number>();
  lastReport: ReconcileReport | undefined;
  readonly options: Required<
    Omit<ReconcilerOptions, "elector" | "desiredReplicas" | "onReport" | "restoreSelf">
  > &
    Pick<ReconcilerOptions, "elector" | "desiredReplicas" | "onReport" | "restoreSelf">;

  constructor(options: ReconcilerOptions) {
    this.options = { intervalMs: 30_000, maxBackoffMs: 300_000, replaceCooldownMs: 60_000, ...options };
  }

  get status() {
    return {
      running: this.running,
      leader: this.options.elector ? this.options.elector.isLeader : true,
      consecutiveFailures: this.failures,
      intervalMs: this.options.intervalMs,
      lastReport: this.lastReport,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.options.elector?.release();
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(async () => {
      await this.runOnce();
      const backoff = this.failures
        ? Math.min(this.options.maxBackoffMs, this.options.intervalMs * 2 ** Math.min(this.failures, 10))
        : this.options.intervalMs;
      this.schedule(backoff);
    }, delay);
    this.timer.unref();
  }

  /** One reconciliation round (also `POST /v1/k8s/reconcile`). Never throws: failures are in the report. */
  async runOnce(): Promise<ReconcileReport> {
    const { manager, elector } = this.options;
    const report: ReconcileReport = {
      time: new Date().toISOString(),
      leader: true,
      checked: 0,
      replaced: [],
    };
    try {
      if (elector) {
        report.leader = await elector.tryAcquireOrRenew();
        if (!report.leader) {
          report.skipped = "not the leader";
          return this.finish(report, true);
        }
      }
      if (this.options.desiredReplicas !== undefined) {
        const status = await manager.status();
        if (status.error) throw new Error(status.error);
        if (status.replicas && status.replicas.desired !== this.options.desiredReplicas) {
          await manager.scale(this.options.desiredReplicas);
          report.scaledTo = this.options.desiredReplicas;
        }
      }
      if (this.options.restoreSelf) {
        const restored = await this.options.restoreSelf();
        if (restored.length) report.restored = restored;
      }
      const pods = await manager.pods();
      report.checked = pods.length;
      const now = Date.now();
      for (const pod of pods) {
        if (pod.healthy) continue;
        const last = this.recentlyReplaced.get(pod.name);
        if (last && now - last < this.options.replaceCooldownMs) continue;
        await manager.replacePod(pod.name, pod.reason ?? "unhealthy");
        this.recentlyReplaced.set(pod.name, now);
        report.replaced.push({ pod: pod.name, reason: pod.reason ?? "unhealthy" });
      }
      manager.history.record({
        action: "reconcile",
        target: `deployment/${manager.settings.deploymentName}`,
        outcome: "success",
        detail: `${report.checked} pods checked, ${report.replaced.length} replaced${
          report.restored ? `, restored ${report.restored.join(", ")}` : ""
        }`,
      });
      return this.finish(report, true);
    } catch (err) {
      report.error = toK8sError(err, "reconcile").message;
      manager.history.record({
        action: "reconcile",
        target: `deployment/${manager.settings.deploymentName}`,
        outcome: "failure",
        detail: report.error,
      });
      return this.finish(report, false);
    }
  }

  private finish(report: ReconcileReport, ok: boolean): ReconcileReport {
    this.failures = ok ? 0 : this.failures + 1;
    this.lastReport = report;
    this.options.onReport?.(report);
    return report;
  }
}
