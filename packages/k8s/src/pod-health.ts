import type { V1Pod } from "@kubernetes/client-node";

export interface HealthPolicy {
  /** A pod may be not Ready this long after it started before it counts as unhealthy. */
  readyGraceMs: number;
  /** Container restarts beyond this count make a pod unhealthy. */
  maxRestarts: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = { readyGraceMs: 120_000, maxRestarts: 5 };

export type PodHealth = { healthy: true } | { healthy: false; reason: string };

/** Judges one pod: CrashLoopBackOff, too many restarts, or not Ready past the grace period. */
export function assessPod(pod: V1Pod, now: number, policy: HealthPolicy = DEFAULT_HEALTH_POLICY): PodHealth {
  const phase = pod.status?.phase;
  if (phase === "Succeeded") return { healthy: true };
  if (phase === "Failed")
    return { healthy: false, reason: `pod failed${pod.status?.reason ? ` (${pod.status.reason})` : ""}` };
  for (const cs of pod.status?.containerStatuses ?? []) {
    const waiting = cs.state?.waiting?.reason;
    if (waiting === "CrashLoopBackOff" || waiting === "ImagePullBackOff" || waiting === "ErrImagePull") {
      return { healthy: false, reason: `${cs.name}: ${waiting}` };
    }
    if ((cs.restartCount ?? 0) > policy.maxRestarts) {
      return {
        healthy: false,
        reason: `${cs.name}: ${cs.restartCount} restarts (limit ${policy.maxRestarts})`,
      };
    }
  }
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
  if (ready) return { healthy: true };
  const started = pod.status?.startTime ? new Date(pod.status.startTime).getTime() : now;
  if (now - started > policy.readyGraceMs) {
    return {
      healthy: false,
      reason: `not Ready for ${Math.round((now - started) / 1000)} s (grace ${policy.readyGraceMs / 1000} s)`,
    };
  }
  return { healthy: true };
}
