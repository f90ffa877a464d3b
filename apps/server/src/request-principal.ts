import type { IncomingMessage } from "node:http";

// Who sent a request, set by the front door once bearer auth passed. Kept beside the request (not on it)
// so the request stack, loaded later, and the audit record read the same answer.
const principals = new WeakMap<IncomingMessage, string>();

/** The principal every authenticated request acts as (one bearer token, one user). */
export const BEARER_PRINCIPAL = "bearer-token-user";

export function setPrincipal(req: IncomingMessage, principal: string): void {
  principals.set(req, principal);
}

/** The authenticated principal of a request, or undefined (public route, or not authenticated). */
export function principalOf(req: IncomingMessage): string | undefined {
  return principals.get(req);
}
