import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Server } from "node:net";

/** A fake server listening on the loopback interface. */
export interface LocalServer {
  /** Base URL, e.g. `http://127.0.0.1:4321`. */
  readonly url: string;
  /** Drops open connections (keep-alive, hung streams) and stops listening. */
  close(): Promise<void>;
}

/**
 * Reads a request body as a JSON object: `{}` for an empty body or a JSON value that is not an object.
 * Throws a SyntaxError on invalid JSON, so each fake can answer in its own API's error format.
 */
export async function readJsonObject(body: AsyncIterable<unknown>): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part as Uint8Array));
  const text = Buffer.concat(parts).toString("utf8");
  const value: unknown = text ? JSON.parse(text) : {};
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** Starts `server` on 127.0.0.1 at a random free port; resolves to its base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * Serves an async HTTP/1.1 handler on 127.0.0.1 at a random port. A handler that throws gets `onError(res, err)`
 * (to answer 500 in the fake API's error format) while no headers were sent, else the connection is dropped.
 */
export async function serveLocalHttp(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onError: (res: ServerResponse, err: unknown) => void,
): Promise<LocalServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) onError(res, err);
      else res.destroy();
    });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
