import type { AuditLog } from "../audit/audit-log.js";

export interface FailedAuthAuditOptions {
  audit?: AuditLog;
  /** One aggregation window per client address (default 60 s). */
  windowMs?: number;
  /** Addresses tracked at once; beyond this the oldest window is written early (default 10 000). */
  maxClients?: number;
  now?: () => number;
}

/** A refused request: `missing`/`malformed`/`invalid` token, or `rate_limited` (refused without checking). */
export type FailedAuthReason = "missing" | "malformed" | "invalid" | "rate_limited";

interface Window {
  started: number;
  /** Failures after the first one (the first is written at once). */
  count: number;
  reasons: Partial<Record<FailedAuthReason, number>>;
  /** A few distinct routes, so the summary says what was probed without growing with the attack. */
  resources: Set<string>;
  timer: NodeJS.Timeout;
}

const MAX_RESOURCES = 5;

/**
 * Failed-authentication audit aggregated per client address and window, so a client hammering the server
 * without a token cannot grow the audit log by one record per request. The first failure of a window is
 * written at once (`auth.failure`, with its route and reason); the rest of the window becomes one
 * `auth.failures` record with counts per reason and a sample of routes, written when the window ends or on
 * `flush()` (server shutdown). Every refused request is counted in exactly one record.
 */
export class FailedAuthAudit {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(private readonly options: FailedAuthAuditOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  record(client: string, resource: string, reason: FailedAuthReason, details: Record<string, unknown>): void {
    if (!this.options.audit) return;
    const open = this.windows.get(client);
    if (open && this.now() - open.started < this.windowMs) {
      open.count++;
      open.reasons[reason] = (open.reasons[reason] ?? 0) + 1;
      if (open.resources.size < MAX_RESOURCES) open.resources.add(resource);
      return;
    }
    if (open) this.close(client);
    this.append({
      actor: `client:${client}`,
      action: reason === "rate_limited" ? "auth.rate_limited" : "auth.failure",
      resource,
      outcome: "denied",
      details: reason === "rate_limited" ? details : { reason, ...details },
    });
    const timer = setTimeout(() => this.close(client), this.windowMs);
    timer.unref();
    this.windows.set(client, { started: this.now(), count: 0, reasons: {}, resources: new Set(), timer });
    if (this.windows.size > this.maxClients) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.close(oldest);
    }
  }

  /** Writes every open window's summary now (call before closing the audit log). */
  flush(): void {
    for (const client of [...this.windows.keys()]) this.close(client);
  }

  private close(client: string): void {
    const window = this.windows.get(client);
    if (!window) return;
    this.windows.delete(client);
    clearTimeout(window.timer);
    if (window.count === 0) return;
    this.append({
      actor: `client:${client}`,
      action: "auth.failures",
      resource: [...window.resources].join(", "),
      outcome: "denied",
      details: {
        count: window.count,
        reasons: window.reasons,
        since: new Date(window.started).toISOString(),
        window_s: Math.round(this.windowMs / 1000),
      },
    });
  }

  private append(entry: Parameters<AuditLog["append"]>[0]): void {
    this.options.audit?.append(entry).catch(() => {
      // An audit write failure must not turn into an unhandled rejection inside the HTTP server.
    });
  }
}
