import net from "node:net";
import type { GrpcGate } from "./grpc-gate.js";

export interface A2AGrpcListenerOptions {
  host: string;
  /** TCP port (0 = any free port). */
  port: number;
  gate: GrpcGate;
  /** Largest request message accepted (default 1 MiB, like the HTTP bindings' body limit). */
  maxMessageBytes?: number;
  /** Open connections in total (default 1024) and from one address (default 64); more are closed at once. */
  maxConnections?: number;
  maxConnectionsPerAddress?: number;
}

export interface A2AGrpcListener {
  /** The port it listens on. */
  port: number;
  /** Stops accepting, cancels calls still open (after `graceMs`, default 0), closes every connection. */
  close(graceMs?: number): Promise<void>;
}

type GrpcEngine = Awaited<ReturnType<typeof import("./grpc-engine.js").createGrpcEngine>>;

/**
 * Listens for the A2A gRPC binding with plain `node:net`, so an idle server has not loaded `@grpc/grpc-js`
 * or the SDK's protobuf code: the first connection loads them (grpc-engine.ts) and every connection is handed
 * to the gRPC server unread (`pauseOnConnect`). Binding here, at start-up, makes a taken port a start-up
 * error and fixes the port the agent card names before any request.
 */
export async function listenA2AGrpc(options: A2AGrpcListenerOptions): Promise<A2AGrpcListener> {
  const maxPerAddress = options.maxConnectionsPerAddress ?? 64;
  const perAddress = new Map<string, number>();
  const open = new Set<net.Socket>();
  let engine: Promise<GrpcEngine> | undefined;
  let closing = false;
  const loadEngine = () => {
    engine ??= import("./grpc-engine.js").then(({ createGrpcEngine }) =>
      createGrpcEngine({ gate: options.gate, maxMessageBytes: options.maxMessageBytes ?? 1024 * 1024 }),
    );
    // A failed load is retried by the next connection (the error may be transient).
    engine.catch(() => {
      engine = undefined;
    });
    return engine;
  };

  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const count = (perAddress.get(address) ?? 0) + 1;
    if (closing || count > maxPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, count);
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
    loadEngine().then(
      (loaded) => {
        if (closing) return socket.destroy();
        loaded.inject(socket);
        // The HTTP/2 session has taken the socket's handle over; reading starts only now, so no byte was
        // read (and lost) before it did.
        socket.resume();
      },
      () => socket.destroy(),
    );
  });
  server.maxConnections = options.maxConnections ?? 1024;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(
              `gRPC port ${options.port} on ${options.host} is already in use; pick another with --grpc-port (0 disables gRPC).`,
            )
          : err,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    port,
    close(graceMs = 0) {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const loaded = await engine?.catch(() => undefined);
        await loaded?.close(graceMs);
        for (const socket of open) socket.destroy();
        await stopped;
      })();
      return closed;
    },
  };
}
