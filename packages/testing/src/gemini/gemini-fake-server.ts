import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type GeminiScriptedReply,
  geminiChunks,
  geminiErrorBody,
  type RecordedGeminiRequest,
} from "./gemini-script.js";

export interface FakeGeminiServerOptions {
  /** Accepted key (`x-goog-api-key` header or `key` query). Default `test-key`. */
  apiKey?: string;
  replies?: GeminiScriptedReply[];
}

/** A local server speaking the Gemini API `streamGenerateContent?alt=sse` wire format. */
export interface FakeGeminiServer {
  /** Base URL for `httpOptions.baseUrl`, e.g. `http://127.0.0.1:4321`. */
  readonly url: string;
  readonly requests: RecordedGeminiRequest[];
  enqueue(...replies: GeminiScriptedReply[]): void;
  close(): Promise<void>;
}

const ROUTE = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString("utf8");
  const value: unknown = text ? JSON.parse(text) : {};
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeGeminiServer(
  options: FakeGeminiServerOptions = {},
): Promise<FakeGeminiServer> {
  const apiKey = options.apiKey ?? "test-key";
  const queue: GeminiScriptedReply[] = [...(options.replies ?? [])];
  const requests: RecordedGeminiRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch {
      return sendJson(res, 400, geminiErrorBody(400, "Invalid JSON payload received."));
    }
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    });
    const route = ROUTE.exec(url.pathname);
    if (req.method !== "POST" || !route) {
      return sendJson(res, 404, geminiErrorBody(404, `no route ${req.method} ${url.pathname}`));
    }
    const key = req.headers["x-goog-api-key"] ?? url.searchParams.get("key");
    if (key !== apiKey) {
      // What the real Gemini API answers for a wrong key: 400 with reason API_KEY_INVALID.
      return sendJson(
        res,
        400,
        geminiErrorBody(400, "API key not valid. Please pass a valid API key.", [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "API_KEY_INVALID",
            domain: "googleapis.com",
          },
        ]),
      );
    }
    const reply = queue.shift();
    if (!reply) return sendJson(res, 500, geminiErrorBody(500, "fake gemini server: no scripted reply left"));
    if (reply.kind === "error") {
      const details = reply.retryDelay
        ? [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: reply.retryDelay }]
        : [];
      return sendJson(
        res,
        reply.status,
        geminiErrorBody(reply.status, reply.message ?? `scripted error ${reply.status}`, details),
        reply.retryAfter !== undefined ? { "retry-after": reply.retryAfter } : {},
      );
    }
    const chunks = geminiChunks(reply, route[2] ?? "unknown");
    if (route[3] === "generateContent") return sendJson(res, 200, chunks.at(-1));
    if (url.searchParams.get("alt") !== "sse") {
      return sendJson(res, 400, geminiErrorBody(400, "fake gemini server only streams with alt=sse"));
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const [i, chunk] of chunks.entries()) {
      if (reply.disconnectAfterEvents !== undefined && i >= reply.disconnectAfterEvents) {
        await new Promise<void>((resolve) => res.write("", () => resolve()));
        res.socket?.destroy();
        return;
      }
      res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    }
    res.end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, geminiErrorBody(500, String(err)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
