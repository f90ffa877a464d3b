import {
  constants,
  createServer,
  type Http2Session,
  type Http2ServerRequest as IncomingMessage,
  type Http2ServerResponse as ServerResponse,
} from "node:http2";
import { EventStreamCodec, type MessageHeaders } from "@smithy/eventstream-codec";
import { listenOnLoopback, readJsonObject } from "../http/local-server.js";
import {
  type BedrockScriptedReply,
  bedrockErrorType,
  bedrockEvents,
  type RecordedBedrockRequest,
} from "./bedrock-script.js";

export interface FakeBedrockServerOptions {
  /** Accepted AWS access key id (from the SigV4 `Credential=` scope) or bearer API key. Default `AKIDTEST`. */
  accessKeyId?: string;
  replies?: BedrockScriptedReply[];
}

/**
 * A local Bedrock Runtime endpoint: ConverseStream over `application/vnd.amazon.eventstream`. It speaks
 * cleartext HTTP/2 (h2c), because the Bedrock Runtime SDK sends its streaming operations over HTTP/2.
 */
export interface FakeBedrockServer {
  /** For the client's `endpoint` option. */
  readonly url: string;
  readonly requests: RecordedBedrockRequest[];
  enqueue(...replies: BedrockScriptedReply[]): void;
  close(): Promise<void>;
}

const ROUTE = /^\/model\/([^/]+)\/(converse-stream|converse)$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes: Uint8Array) => decoder.decode(bytes),
  (text: string) => encoder.encode(text),
);

function str(value: string) {
  return { type: "string" as const, value };
}

/** One binary event-stream message (prelude, headers, payload, CRCs) as Bedrock sends it. */
export function encodeBedrockEvent(eventType: string, payload: unknown): Uint8Array {
  const headers: MessageHeaders = {
    ":event-type": str(eventType),
    ":content-type": str("application/json"),
    ":message-type": str("event"),
  };
  return codec.encode({ headers, body: encoder.encode(JSON.stringify(payload)) });
}

/** A modeled exception inside the stream (`:message-type: exception`). */
export function encodeBedrockException(exceptionType: string, message: string): Uint8Array {
  const headers: MessageHeaders = {
    ":exception-type": str(exceptionType),
    ":content-type": str("application/json"),
    ":message-type": str("exception"),
  };
  return codec.encode({ headers, body: encoder.encode(JSON.stringify({ message })) });
}

function sendError(res: ServerResponse, status: number, type: string, message: string, retryAfter?: string) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    "x-amzn-requestid": "fake-request-id",
  };
  if (retryAfter !== undefined) headers["retry-after"] = retryAfter;
  res.writeHead(status, headers);
  res.end(JSON.stringify({ message }));
}

/** The caller's identity: the SigV4 access key id, or a Bedrock API key sent as a bearer token. */
function callerKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization ?? "";
  const sigv4 = /Credential=([^/,\s]+)\//.exec(auth);
  if (sigv4) return sigv4[1];
  return /^Bearer (.+)$/i.exec(auth)?.[1];
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeBedrockServer(
  options: FakeBedrockServerOptions = {},
): Promise<FakeBedrockServer> {
  const accessKeyId = options.accessKeyId ?? "AKIDTEST";
  const queue: BedrockScriptedReply[] = [...(options.replies ?? [])];
  const requests: RecordedBedrockRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: Record<string, unknown>;
    try {
      body = await readJsonObject(req);
    } catch {
      return sendError(res, 400, "SerializationException", "request body is not valid JSON");
    }
    const route = ROUTE.exec(url.pathname);
    const modelId = route ? decodeURIComponent(route[1] ?? "") : "";
    requests.push({ method: req.method ?? "", path: url.pathname, modelId, headers: req.headers, body });
    if (req.method !== "POST" || !route) {
      return sendError(res, 404, "UnknownOperationException", `no route ${req.method} ${url.pathname}`);
    }
    if (callerKey(req) !== accessKeyId) {
      return sendError(
        res,
        403,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
      );
    }
    const reply = queue.shift();
    if (!reply)
      return sendError(res, 500, "InternalServerException", "fake bedrock server: no scripted reply left");
    if (reply.kind === "error") {
      return sendError(
        res,
        reply.status,
        reply.type ?? bedrockErrorType(reply.status),
        reply.message ?? `scripted error ${reply.status}`,
        reply.retryAfter,
      );
    }
    if (route[2] !== "converse-stream") {
      return sendError(res, 400, "ValidationException", "fake bedrock server only implements ConverseStream");
    }
    res.writeHead(200, {
      "content-type": "application/vnd.amazon.eventstream",
      "x-amzn-requestid": "fake-request-id",
    });
    const events = bedrockEvents(reply);
    if (reply.streamException) {
      // The exception replaces messageStop and metadata, as when the model fails mid-answer.
      events.splice(-2, 2);
    }
    for (const [i, [type, payload]] of events.entries()) {
      if (reply.disconnectAfterEvents !== undefined && i >= reply.disconnectAfterEvents) {
        await new Promise<void>((resolve) => res.write(new Uint8Array(0), () => resolve()));
        res.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
        return;
      }
      res.write(encodeBedrockEvent(type, payload));
    }
    if (reply.streamException) {
      res.write(encodeBedrockException(reply.streamException.type, reply.streamException.message));
    }
    res.end();
  };

  const sessions = new Set<Http2Session>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, "InternalServerException", String(err));
      else res.destroy();
    });
  });
  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  return {
    url: await listenOnLoopback(server),
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}
