import type { IncomingMessage, ServerResponse } from "node:http";
import { readJsonObject, serveLocalHttp } from "../http/local-server.js";
import {
  type AnthropicScriptedReply,
  anthropicErrorType,
  anthropicEvents,
  type RecordedAnthropicRequest,
} from "./anthropic-script.js";

export interface FakeAnthropicServerOptions {
  /** Accepted key (`x-api-key` or `Authorization: Bearer`); other keys get 401. Default `test-key`. */
  apiKey?: string;
  /** Replies consumed in order; more can be added with `enqueue`. */
  replies?: AnthropicScriptedReply[];
}

/** A local server speaking the Anthropic Messages API (SSE streaming) with scripted replies. */
export interface FakeAnthropicServer {
  /** Base URL for the SDK's `baseURL`, e.g. `http://127.0.0.1:4321`. */
  readonly url: string;
  readonly requests: RecordedAnthropicRequest[];
  enqueue(...replies: AnthropicScriptedReply[]): void;
  close(): Promise<void>;
}

function sendError(res: ServerResponse, status: number, type: string, message: string, retryAfter?: string) {
  const headers: Record<string, string> = { "content-type": "application/json", "request-id": "req_fake" };
  if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
  res.writeHead(status, headers);
  res.end(JSON.stringify({ type: "error", error: { type, message } }));
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeAnthropicServer(
  options: FakeAnthropicServerOptions = {},
): Promise<FakeAnthropicServer> {
  const apiKey = options.apiKey ?? "test-key";
  const queue: AnthropicScriptedReply[] = [...(options.replies ?? [])];
  const requests: RecordedAnthropicRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: Record<string, unknown>;
    try {
      body = await readJsonObject(req);
    } catch {
      return sendError(res, 400, "invalid_request_error", "request body is not valid JSON");
    }
    requests.push({ method: req.method ?? "", path: url.pathname, headers: req.headers, body });
    if (req.method !== "POST" || url.pathname !== "/v1/messages") {
      return sendError(res, 404, "not_found_error", `no route ${req.method} ${url.pathname}`);
    }
    // The API takes the key as `x-api-key`; recent SDKs send it as `Authorization: Bearer`.
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if ((req.headers["x-api-key"] ?? bearer) !== apiKey) {
      return sendError(res, 401, "authentication_error", "invalid x-api-key");
    }
    if (typeof req.headers["anthropic-version"] !== "string") {
      return sendError(res, 400, "invalid_request_error", "anthropic-version header is required");
    }
    const reply = queue.shift();
    if (!reply) return sendError(res, 500, "api_error", "fake anthropic server: no scripted reply left");
    if (reply.kind === "error") {
      return sendError(
        res,
        reply.status,
        reply.type ?? anthropicErrorType(reply.status),
        reply.message ?? `scripted error ${reply.status}`,
        reply.retryAfter,
      );
    }
    if (body.stream !== true) {
      return sendError(res, 400, "invalid_request_error", "fake anthropic server only supports stream: true");
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "request-id": "req_fake",
    });
    const events = anthropicEvents(reply, typeof body.model === "string" ? body.model : "unknown");
    for (const [i, [event, data]] of events.entries()) {
      if (reply.disconnectAfterEvents !== undefined && i >= reply.disconnectAfterEvents) {
        // Flush what was written, then drop the connection mid-stream.
        await new Promise<void>((resolve) => res.write("", () => resolve()));
        res.socket?.destroy();
        return;
      }
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    }
    res.end();
  };

  const server = await serveLocalHttp(handle, (res, err) => sendError(res, 500, "api_error", String(err)));
  return {
    url: server.url,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: server.close,
  };
}
