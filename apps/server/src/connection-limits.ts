import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionLimits {
  /** Open connections in total; further ones are closed at once (default 1024). */
  maxConnections?: number;
  /** Open connections from one client address (default 64). */
  maxConnectionsPerAddress?: number;
  /** Time a client has to send the request headers (default 10 s). */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request, headers and body (default 30 s). SSE responses may run longer. */
  requestTimeoutMs?: number;
}

export const DEFAULT_CONNECTION_LIMITS: Required<ConnectionLimits> = {
  maxConnections: 1024,
  maxConnectionsPerAddress: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

/** Node's `connectionsCheckingInterval` for these limits: the timeouts are only enforced when checked. */
export function connectionsCheckingInterval(limits: ConnectionLimits = {}): number {
  const headers = limits.headersTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.headersTimeoutMs;
  const request = limits.requestTimeoutMs ?? DEFAULT_CONNECTION_LIMITS.requestTimeoutMs;
  return Math.max(50, Math.min(1_000, Math.floor(Math.min(headers, request) / 4)));
}

/**
 * Applies the caps to a listening server: Node closes connections past `maxConnections`, and a counter per
 * remote address closes a client's connections past its share, so one address cannot hold every slot with
 * half-open sockets. Slow clients are cut off by the header and request timeouts; a connection that sends
 * nothing at all (which Node's header timer does not see) is closed after the header timeout too.
 */
export function applyConnectionLimits(server: Server, limits: ConnectionLimits = {}): void {
  const caps = { ...DEFAULT_CONNECTION_LIMITS, ...limits };
  server.maxConnections = caps.maxConnections;
  server.headersTimeout = caps.headersTimeoutMs;
  server.requestTimeout = caps.requestTimeoutMs;
  const perAddress = new Map<string, number>();
  /** Connections that have not yet started a request: closed if they stay silent past the header timeout. */
  const firstRequest = new WeakMap<Socket, NodeJS.Timeout>();
  server.on("request", (req: IncomingMessage) => {
    clearTimeout(firstRequest.get(req.socket));
    firstRequest.delete(req.socket);
  });
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const open = perAddress.get(address) ?? 0;
    if (open >= caps.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, open + 1);
    const silent = setTimeout(() => socket.destroy(), caps.headersTimeoutMs);
    silent.unref();
    firstRequest.set(socket, silent);
    socket.once("close", () => {
      clearTimeout(silent);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
}
