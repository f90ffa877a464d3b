import type { A2ARequestHandler } from "@a2a-js/sdk/server";

/** What the gate decides for one gRPC call, before the A2A handler sees it. */
export type GrpcAuthDecision =
  | { ok: true; principal: string }
  | { ok: false; reason: "unauthenticated" | "rate_limited"; message: string };

/** One finished gRPC call, for the audit log (no request or response bodies, no credentials). */
export interface GrpcCallRecord {
  /** The full method path, e.g. `/lf.a2a.v1.A2AService/SendMessage`. */
  method: string;
  principal: string;
  /** The client's address (no port). */
  client: string;
  /** The gRPC status code the call ended with (0 = OK). */
  code: number;
  durationMs: number;
}

/**
 * What a server gives the gRPC binding: the same bearer check (and failed-auth limiter and audit) as its
 * HTTP routes, the same A2A request handler (executor, durable task store, push), and where calls are audited.
 */
export interface GrpcGate {
  /** Checks the `authorization` metadata values of a call from `client` to `method`. */
  authorize(call: { authorization: string[]; client: string; method: string }): GrpcAuthDecision;
  /** The A2A request handler; loaded on the first authorized call (the server's lazy request stack). */
  requestHandler(): Promise<A2ARequestHandler>;
  /** Called once per authorized call when it ends. Refused calls are audited by `authorize`. */
  onCallEnd?(record: GrpcCallRecord): void;
}
