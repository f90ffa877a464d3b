import type { IncomingMessage, ServerResponse } from "node:http";
import { readJsonObject, serveLocalHttp } from "../http/local-server.js";
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
      body = await readJsonObject(req);
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

  const server = await serveLocalHttp(handle, (res, err) =>
    sendJson(res, 500, geminiErrorBody(500, String(err))),
  );
  return {
    url: server.url,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: server.close,
  };
}
