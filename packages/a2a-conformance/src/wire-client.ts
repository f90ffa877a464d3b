import { readSse } from "./sse.js";

/** Raw JSON from the wire: checked by the tests' assertions and the JSON Schema. */
// biome-ignore lint/suspicious/noExplicitAny: raw wire JSON, validated by ajv and assertions
export type Wire = any;

export interface WireResponse {
  status: number;
  headers: Headers;
  body: Wire;
}

export interface WireStream {
  status: number;
  headers: Headers;
  /** Parsed `data:` payloads in arrival order (keep-alive comments dropped). */
  events: Wire[];
  /** Non-JSON body when the server answered without a stream (an error before the stream opened). */
  body?: Wire;
}

export interface WireClientOptions {
  /** JSON-RPC endpoint URL (the card's JSONRPC interface). */
  jsonRpcUrl: string;
  /** HTTP+JSON base URL (the card's HTTP+JSON interface). */
  restUrl: string;
  token?: string;
  /** `A2A-Version` header to send; `null` sends none (the server must assume 0.3). Default "1.0". */
  version?: string | null;
  /** Give up on a stream after this long (default 15 s). */
  streamTimeoutMs?: number;
}

/** A minimal A2A client over raw HTTP and SSE, written from the spec (§9 JSON-RPC, §11 HTTP+JSON). */
export class A2AWireClient {
  private nextId = 1;

  constructor(readonly options: WireClientOptions) {}

  with(overrides: Partial<WireClientOptions>): A2AWireClient {
    return new A2AWireClient({ ...this.options, ...overrides });
  }

  headers(extra: Record<string, string> = {}, contentType = "application/json"): Record<string, string> {
    const version = this.options.version === undefined ? "1.0" : this.options.version;
    return {
      "content-type": contentType,
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      ...(version !== null ? { "A2A-Version": version } : {}),
      ...extra,
    };
  }

  /** One JSON-RPC 2.0 call; returns the HTTP status and the response object. */
  async rpc(method: string, params: unknown, extra: Record<string, string> = {}): Promise<WireResponse> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params });
    return this.rpcRaw(body, extra);
  }

  async rpcRaw(body: string, extra: Record<string, string> = {}): Promise<WireResponse> {
    const res = await fetch(this.options.jsonRpcUrl, { method: "POST", headers: this.headers(extra), body });
    return { status: res.status, headers: res.headers, body: await parseBody(res) };
  }

  /** A streaming JSON-RPC call (SendStreamingMessage / SubscribeToTask); reads the SSE stream to its end. */
  async rpcStream(method: string, params: unknown, extra: Record<string, string> = {}): Promise<WireStream> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params });
    const res = await fetch(this.options.jsonRpcUrl, {
      method: "POST",
      headers: this.headers({ accept: "text/event-stream", ...extra }),
      body,
      signal: AbortSignal.timeout(this.options.streamTimeoutMs ?? 15_000),
    });
    return readStream(res);
  }

  /** One HTTP+JSON call; `path` is relative to the REST base URL (e.g. `/message:send`). */
  async rest(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<WireResponse> {
    const res = await fetch(`${this.options.restUrl}${path}`, {
      method,
      headers: this.headers(extra, "application/a2a+json"),
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    return { status: res.status, headers: res.headers, body: await parseBody(res) };
  }

  async restStream(method: string, path: string, body?: unknown): Promise<WireStream> {
    const res = await fetch(`${this.options.restUrl}${path}`, {
      method,
      headers: this.headers({ accept: "text/event-stream" }, "application/a2a+json"),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.options.streamTimeoutMs ?? 15_000),
    });
    return readStream(res);
  }
}

async function parseBody(res: Response): Promise<Wire> {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readStream(res: Response): Promise<WireStream> {
  if (!(res.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    return { status: res.status, headers: res.headers, events: [], body: await parseBody(res) };
  }
  const events: Wire[] = [];
  for await (const e of readSse(res.body as unknown as AsyncIterable<Uint8Array>)) {
    if (!e.comment && e.data) events.push(JSON.parse(e.data));
  }
  return { status: res.status, headers: res.headers, events };
}
