import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type CompletionContext, completionObject, errorBody, streamEvents } from "./chat-wire.js";
import type { RecordedRequest, ScriptedResponse, ScriptedTurn, ScriptedTurnData } from "./script.js";

export interface ScriptedOpenAIOptions {
  /** Port to bind (default: random). The host is always 127.0.0.1. */
  port?: number;
  /** Ids served by `GET /v1/models` (default: the models named in requests plus `scripted-model`). */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get the API's 401 answer (no turn consumed). */
  apiKey?: string;
  /** Largest accepted request body (default 32 MiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /** Called for every recorded request (after it is recorded). */
  onRequest?: (request: RecordedRequest) => void;
}

export interface ScriptedOpenAI {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  port: number;
  /** Chat-completion requests, in arrival order. */
  requests: RecordedRequest[];
  /** Turns not yet served. */
  remaining(): number;
  /** Stops the server, dropping open (e.g. hanging) connections. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (part: Buffer) => {
      size += part.length;
      if (size > max) {
        reject(new BodyTooLarge(`scripted-openai: request body larger than ${max} bytes`));
        req.resume();
      } else parts.push(part);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": `req_${randomBytes(6).toString("hex")}`,
    ...headers,
  });
  res.end(text);
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts an OpenAI-compatible Chat Completions server on 127.0.0.1 that replays `script`, one turn per
 * `POST /v1/chat/completions`, streaming SSE exactly like the real API, and records every request.
 */
export async function startScriptedOpenAI(
  script: ScriptedTurn[],
  options: ScriptedOpenAIOptions = {},
): Promise<ScriptedOpenAI> {
  const requests: RecordedRequest[] = [];
  const seenModels = new Set<string>(options.models ?? ["scripted-model"]);
  let next = 0;

  async function streamAnswer(
    res: http.ServerResponse,
    events: unknown[],
    delayMs: number,
    stopAfter?: number,
  ): Promise<void> {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-request-id": `req_${randomBytes(6).toString("hex")}`,
    });
    let closed = false;
    res.on("close", () => {
      closed = true;
    });
    for (let i = 0; i < events.length; i++) {
      if (closed) return;
      if (stopAfter !== undefined && i >= stopAfter) {
        // Flush what was written, then cut the TCP connection without a terminating chunk.
        await wait(10);
        res.socket?.destroy();
        return;
      }
      res.write(`data: ${JSON.stringify(events[i])}\n\n`);
      if (delayMs) await wait(delayMs);
    }
    if (stopAfter !== undefined) {
      await wait(10);
      res.socket?.destroy();
      return;
    }
    if (!closed) res.end("data: [DONE]\n\n");
  }

  async function answer(
    res: http.ServerResponse,
    turn: ScriptedTurnData,
    record: RecordedRequest,
    index: number,
  ) {
    const body = (record.body ?? {}) as { model?: unknown; stream?: unknown; stream_options?: unknown };
    const model = typeof body.model === "string" ? body.model : "scripted-model";
    if (turn.type === "error") {
      sendJson(res, turn.status, turn.body ?? errorBody(turn.status), turn.headers);
      return;
    }
    if (turn.type === "hang") return; // Never answer; close() drops the connection.
    const resp: ScriptedResponse =
      turn.type === "disconnect" ? (turn.response ?? { text: "This answer is cut off mid-stream" }) : turn;
    const ctx: CompletionContext = {
      id: `chatcmpl-${randomBytes(8).toString("hex")}`,
      model: resp.model ?? model,
      created: Math.floor(Date.now() / 1000),
      turn: index,
    };
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    if (body.stream !== true) {
      if (turn.type === "disconnect") {
        res.socket?.destroy();
        return;
      }
      sendJson(res, 200, completionObject(resp, ctx, record.body));
      return;
    }
    const events = streamEvents(resp, ctx, record.body, includeUsage);
    const stopAfter = turn.type === "disconnect" ? (turn.afterEvents ?? 2) : undefined;
    await streamAnswer(res, events, resp.delayMs ?? 0, stopAfter);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    let raw: string;
    try {
      raw = await readBody(req, options.maxBodyBytes ?? 32 * 1024 * 1024);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      sendJson(res, 413, errorBody(413, err.message), { connection: "close" });
      return;
    }
    let parsed: unknown;
    if (raw !== "") {
      try {
        parsed = JSON.parse(raw);
      } catch {
        sendJson(res, 400, errorBody(400, "We could not parse the JSON body of your request."));
        return;
      }
    }
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      headers: headersOf(req),
      body: parsed,
    };
    if (options.apiKey !== undefined && record.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, errorBody(401));
      return;
    }
    if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
      sendJson(res, 200, {
        object: "list",
        data: [...seenModels].map((id) => ({
          id,
          object: "model",
          created: 1700000000,
          owned_by: "scripted",
        })),
      });
      return;
    }
    if (req.method !== "POST" || !(path === "/v1/chat/completions" || path === "/chat/completions")) {
      sendJson(res, 404, errorBody(404, `scripted-openai: no route for ${req.method} ${path}`));
      return;
    }
    requests.push(record);
    options.onRequest?.(record);
    const model = (parsed as { model?: unknown } | undefined)?.model;
    if (typeof model === "string") seenModels.add(model);
    const index = next++;
    const turn = script[index];
    if (turn === undefined) {
      sendJson(
        res,
        500,
        errorBody(
          500,
          `scripted-openai: script exhausted: request #${index + 1} has no scripted turn (the script has ${script.length} turns).`,
        ),
      );
      return;
    }
    let data: ScriptedTurnData;
    try {
      data = typeof turn === "function" ? await turn(record, index) : turn;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      sendJson(res, 500, errorBody(500, `scripted-openai: turn #${index + 1} threw: ${message}`));
      return;
    }
    await answer(res, data, record, index);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(500, `scripted-openai: ${String(err)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    remaining: () => Math.max(0, script.length - next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
