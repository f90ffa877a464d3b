/** What one routing decision came to, for `--json` events and UIs (core's `tool-routing` agent event). */
export interface RoutingReport {
  /** routed: calls were added; no_calls: the router found none; skipped: not routed (see reason); failed: error. */
  outcome: "routed" | "no_calls" | "skipped" | "failed";
  reason?: string;
  calls: number;
  toolsDeclared?: number;
  toolsAvailable?: number;
  promptTokens?: number;
  durationMs?: number;
}

/** A routing that was not attempted because it cannot work as configured (e.g. the prompt cannot fit). */
export class RoutingSkipped extends Error {
  override name = "RoutingSkipped";
}
