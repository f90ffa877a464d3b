import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { applyConnectionLimits, connectionsCheckingInterval } from "./connection-limits.js";
import { type CodetetherServer, createServer } from "./create-server.js";
import type { ServerOptions } from "./server-options.js";

export interface RunningServer extends CodetetherServer {
  url: string;
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
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  // Before any request: the A2A service, loaded on the first one, serves this same card object.
  if (!options.publicUrl) {
    for (const i of server.card.supportedInterfaces) i.url = i.url.replace(/^http:\/\/[^/]+/, url);
  }
  // Leader-elected health reconciliation, only when a cluster was detected.
  server.k8s?.start();
  let closing: Promise<void> | undefined;
  return {
    ...server,
    url,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        await server.close();
        http.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
