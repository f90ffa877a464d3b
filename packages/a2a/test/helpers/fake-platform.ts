import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Call {
  method: string;
  path: string;
  auth: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown> | undefined;
}

/**
 * A local stand-in for the CodeTether platform's worker endpoints (notes §9.3), speaking the same
 * wire format: JSON bodies, an SSE task stream, 409 on a second claim.
 */
export class FakePlatform {
  calls: Call[] = [];
  pending: Array<Record<string, unknown>> = [];
  claimed = new Set<string>();
  /** Ids the platform pretends another worker already claimed. */
  takenByOthers = new Set<string>();
  rejectCognition = false;
  private streams = new Set<http.ServerResponse>();
  private server: http.Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  callsTo(pathPrefix: string): Call[] {
    return this.calls.filter((c) => c.path.startsWith(pathPrefix));
  }

  async start(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.streams) s.destroy();
    this.streams.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Sends a task to every connected worker stream. */
  push(task: Record<string, unknown>): void {
    for (const s of this.streams) s.write(`event: task\ndata: ${JSON.stringify(task)}\n\n`);
  }

  get connectedStreams(): number {
    return this.streams.size;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      this.calls.push({
        method: req.method ?? "",
        path: url.pathname + url.search,
        auth: req.headers.authorization,
        headers: req.headers,
        body,
      });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === "/v1/worker/tasks/stream") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(": hello\n\n");
        this.streams.add(res);
        res.on("close", () => this.streams.delete(res));
        return;
      }
      if (url.pathname === "/v1/opencode/workers/register") return json(200, { ok: true });
      if (url.pathname === "/v1/opencode/tasks" && url.searchParams.get("status") === "pending") {
        const tasks = this.pending;
        this.pending = [];
        return json(200, { tasks });
      }
      if (url.pathname === "/v1/worker/tasks/claim") {
        const id = String(body?.task_id);
        if (this.claimed.has(id) || this.takenByOthers.has(id))
          return json(409, { error: "already claimed" });
        this.claimed.add(id);
        return json(200, { ok: true });
      }
      if (/^\/v1\/opencode\/tasks\/[^/]+\/output$/.test(url.pathname)) return json(200, { ok: true });
      if (url.pathname === "/v1/worker/tasks/release") return json(200, { ok: true });
      if (/^\/v1\/opencode\/workers\/[^/]+\/heartbeat$/.test(url.pathname)) {
        if (this.rejectCognition && body?.cognition) return json(422, { error: "unknown field cognition" });
        return json(200, { ok: true });
      }
      json(404, { error: "not found" });
    });
  }
}
