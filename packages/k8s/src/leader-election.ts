import type { CoordinationV1Api, V1Lease } from "@kubernetes/client-node";
import { toK8sError } from "./k8s-error.js";

export interface LeaseElectorOptions {
  api: CoordinationV1Api;
  namespace: string;
  /** Lease name, e.g. `codetether-leader`. */
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  now?: () => Date;
}

function errCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "number" ? code : undefined;
}

/**
 * Leader election on a coordination.k8s.io Lease: the holder renews it; another replica takes over only
 * after `leaseDurationSeconds` without renewal. Optimistic concurrency (resourceVersion) makes takeovers
 * race-free: of two contenders, one gets 409 Conflict and stays a follower.
 */
export class LeaseElector {
  private readonly options: Required<Omit<LeaseElectorOptions, "now">> & { now: () => Date };
  isLeader = false;

  constructor(options: LeaseElectorOptions) {
    this.options = { leaseDurationSeconds: 15, now: () => new Date(), ...options };
  }

  private lead(value: boolean): boolean {
    this.isLeader = value;
    return value;
  }

  /** One election round: acquire, renew, or stay follower. Returns whether this replica leads now. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { api, namespace, name, identity, leaseDurationSeconds } = this.options;
    const now = this.options.now();
    let lease: V1Lease | undefined;
    try {
      lease = await api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (errCode(err) !== 404) throw toK8sError(err, `read lease ${namespace}/${name}`);
    }
    if (!lease) {
      try {
        await api.createNamespacedLease({
          namespace,
          body: {
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { name, namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds,
              acquireTime: now,
              renewTime: now,
              leaseTransitions: 0,
            },
          },
        });
        return this.lead(true);
      } catch (err) {
        if (errCode(err) === 409) return this.lead(false);
        throw toK8sError(err, `create lease ${namespace}/${name}`);
      }
    }
    const spec = lease.spec ?? {};
    const renewed = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
    const expired = renewed + (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000 < now.getTime();
    const mine = spec.holderIdentity === identity;
    if (!mine && !expired) return this.lead(false);
    const body: V1Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds,
        renewTime: now,
        ...(mine ? {} : { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }),
      },
    };
    try {
      await api.replaceNamespacedLease({ name, namespace, body });
      return this.lead(true);
    } catch (err) {
      if (errCode(err) === 409) return this.lead(false);
      throw toK8sError(err, `update lease ${namespace}/${name}`);
    }
  }

  /** Gives the lease up (on shutdown), so another replica takes over without waiting for expiry. */
  async release(): Promise<void> {
    if (!this.isLeader) return;
    const { api, namespace, name } = this.options;
    try {
      const lease = await api.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      await api.replaceNamespacedLease({
        name,
        namespace,
        body: { ...lease, spec: { ...lease.spec, holderIdentity: undefined, renewTime: new Date(0) } },
      });
    } catch {
      // Expiry hands the lease over anyway.
    } finally {
      this.isLeader = false;
    }
  }
}
