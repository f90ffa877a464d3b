import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { A2AGrpcListener } from "@codetether/a2a/grpc";
import { applyConnectionLimits, connectionsCheckingInterval } from "./connection-limits.js";
import { type CodetetherServer, createServer } from "./create-server.js";
import type { ServerOptions } from "./server-options.js";

export interface RunningServer extends CodetetherServer {
  url: string;
  /** `host:port` of the A2A gRPC binding, or undefined when it is off. */
  grpcUrl: string | undefined;
}

/** Creates and starts the server on host:port (port 0 = any free port). `close()` shuts down gracefully. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const requestedPort = options.port ?? 4096;
  // The card must name the real port; with port 0 we learn it only after listening.
  const server = await createServer({ ...options, host });
  const http = createHttpServer(
    { connectionsCheckingInterval: connectionsCheckingInterval(options.connectionLimits) },
    server.handler,
  );
  applyConnectionLimits(http, options.connectionLimits);
  http.listen(requestedPort, host);
  await new Promise<void>((resolve, reject) => {
    http.once("listening", () => resolve());
    http.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`Port ${requestedPort} on ${host} is already in use; pick another with --port.`)
          : err,
      ),
    );
  });
  const { port } = http.address() as AddressInfo;
  const authority = host.includes(":") ? `[${host}]` : host;
  const url = `http://${authority}:${port}`;
  // /health already answers while the gRPC port binds (a plain node:net listener: grpc-js loads with the
  // first gRPC connection, so neither start-up nor an idle server pays for it).
  let grpc: A2AGrpcListener | undefined;
  if (server.grpcPort !== undefined) {
    try {
      const { listenA2AGrpc } = await import("@codetether/a2a/grpc");
      const limits = options.connectionLimits ?? {};
      grpc = await listenA2AGrpc({
        host,
        port: server.grpcPort,
        gate: server.grpc,
        ...(typeof options.maxBodyBytes === "number" ? { maxMessageBytes: options.maxBodyBytes } : {}),
        ...(limits.maxConnections ? { maxConnections: limits.maxConnections } : {}),
        ...(limits.maxConnectionsPerAddress
          ? { maxConnectionsPerAddress: limits.maxConnectionsPerAddress }
          : {}),
      });
    } catch (err) {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
      throw err;
    }
  }
  const grpcUrl = grpc ? `${authority}:${grpc.port}` : undefined;
  // Before any request past /health: the A2A service, loaded on the first one, serves this same card object.
  for (const i of server.card.supportedInterfaces) {
    if (i.protocolBinding === "GRPC" && grpc) {
      i.url = options.publicUrl ? i.url.replace(/:\d+$/, `:${grpc.port}`) : grpcUrl!;
    } else if (!options.publicUrl) {
      i.url = i.url.replace(/^http:\/\/[^/]+/, url);
    }
  }
  // Leader-elected health reconciliation, only when a cluster was detected.
  server.k8s?.start();
  let closing: Promise<void> | undefined;
  return {
    ...server,
    url,
    grpcUrl,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        await server.close();
        // After the stack persisted in-flight tasks: streams still open over gRPC are cancelled.
        await grpc?.close();
        http.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
