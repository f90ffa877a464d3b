import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake platform received. */
export interface PlatformCall {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown> | undefined;
}

export interface FakePlatform {
  url: string;
  calls: PlatformCall[];
  /** Bodies of `/v1/worker/tasks/release`, oldest first. */
  released(): Array<Record<string, unknown>>;
  /** Sends `task` to every open task stream now (as the platform does when a task is created). */
  push(task: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * A minimal CodeTether platform for `codetether worker`: register, the pending-task poll (hands out `pending`
 * once), the task event stream (kept open; `push` sends a task on it), claim, output and release; every call is
 * recorded.
 */
export async function startPlatform(pending: Array<Record<string, unknown>>): Promise<FakePlatform> {
  const calls: PlatformCall[] = [];
  const streams = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      calls.push({
        path: url.pathname,
        auth: req.headers.authorization,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
      });
      if (url.pathname === "/v1/worker/tasks/stream") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": connected\n\n");
        streams.add(res);
        res.on("close", () => streams.delete(res));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      if (url.pathname === "/v1/opencode/tasks") res.end(JSON.stringify({ tasks: pending.splice(0) }));
      else res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    push: (task) => {
      for (const stream of streams) stream.write(`data: ${JSON.stringify(task)}\n\n`);
    },
    released: () =>
      calls.filter((c) => c.path === "/v1/worker/tasks/release" && c.body).map((c) => c.body ?? {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
