import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { parseIp } from "./ip-address.js";
import { type CheckedHost, checkUrl, type NetworkPolicy } from "./network-policy.js";

/**
 * A `fetch` that only talks to addresses the network guard accepted: it resolves each host once,
 * checks every address, then connects to a checked address itself (Host header and TLS server name
 * stay the URL's host), so a resolver cannot answer "public" to the check and "127.0.0.1" to the
 * connection. Redirects are followed by hand and every hop is checked again.
 */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const MAX_REDIRECTS = 20;
/** Errors after which the next checked address (e.g. IPv4 after IPv6) is tried. */
const TRY_NEXT = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "EAFNOSUPPORT"]);

interface Outgoing {
  url: URL;
  method: string;
  headers: Headers;
  body: Buffer | undefined;
  signal: AbortSignal | undefined;
}

async function connectOnce(out: Outgoing, address: string, checked: CheckedHost): Promise<IncomingMessage> {
  const secure = out.url.protocol === "https:";
  const { request } = secure ? await import("node:https") : await import("node:http");
  const headers: Record<string, string> = Object.fromEntries(out.headers);
  headers.host = out.url.host;
  if (out.body) headers["content-length"] = String(out.body.length);
  const literal = parseIp(checked.host) !== undefined;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({
      host: address,
      port: out.url.port || (secure ? 443 : 80),
      path: `${out.url.pathname}${out.url.search}`,
      method: out.method,
      headers,
      // The certificate is checked against the name the user asked for, not the address.
      ...(secure && !literal ? { servername: checked.host } : {}),
      ...(out.signal ? { signal: out.signal } : {}),
    });
    req.once("response", resolve);
    req.once("error", reject);
    req.end(out.body);
  });
}

async function connect(out: Outgoing, checked: CheckedHost): Promise<IncomingMessage> {
  let lastError: unknown;
  for (const { address } of checked.addresses) {
    try {
      return await connectOnce(out, address, checked);
    } catch (err) {
      lastError = err;
      if (out.signal?.aborted || !TRY_NEXT.has((err as { code?: string }).code ?? "")) throw err;
    }
  }
  throw lastError;
}

async function decoded(res: IncomingMessage, headers: Headers): Promise<Readable> {
  const encoding = headers.get("content-encoding")?.trim().toLowerCase();
  if (!encoding || encoding === "identity") return res;
  const zlib = await import("node:zlib");
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return res;
  headers.delete("content-encoding");
  headers.delete("content-length");
  res.on("error", (err) => decoder.destroy(err));
  return res.pipe(decoder);
}

async function toResponse(res: IncomingMessage, out: Outgoing, redirected: boolean): Promise<Response> {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
  }
  const status = res.statusCode ?? 502;
  const empty = NULL_BODY.has(status) || out.method === "HEAD";
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(await decoded(res, headers)) as ReadableStream<Uint8Array>);
  const response = new Response(body, { status, statusText: res.statusMessage ?? "", headers });
  Object.defineProperty(response, "url", { value: out.url.href });
  Object.defineProperty(response, "redirected", { value: redirected });
  return response;
}

/** The next request after a redirect, as fetch does it: 303 (and 301/302 after POST) become GET. */
function followRedirect(out: Outgoing, status: number, location: string): Outgoing {
  const url = new URL(location, out.url);
  const headers = new Headers(out.headers);
  let { method, body } = out;
  if (status === 303 ? method !== "HEAD" : (status === 301 || status === 302) && method === "POST") {
    method = "GET";
    body = undefined;
    for (const name of ["content-type", "content-length", "content-encoding", "content-language"]) {
      headers.delete(name);
    }
  }
  // Credentials never follow a redirect to another origin.
  if (url.origin !== out.url.origin) {
    headers.delete("authorization");
    headers.delete("cookie");
    headers.delete("proxy-authorization");
  }
  return { ...out, url, method, headers, body };
}

/** A fetch-compatible function bound to a network policy (see the module comment). */
export function createGuardedFetch(policy: NetworkPolicy = {}): FetchFunction {
  return async (input, init) => {
    const request = new Request(input, init);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    const bytes = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    let out: Outgoing = {
      url: new URL(request.url),
      method: request.method,
      headers: new Headers(request.headers),
      body: bytes,
      signal,
    };
    for (let hop = 0; ; hop++) {
      if (out.url.protocol !== "http:" && out.url.protocol !== "https:") {
        throw new TypeError(`Refusing to fetch "${out.url.protocol}" URLs; only http(s) is allowed.`);
      }
      const checked = await checkUrl(out.url, policy, signal);
      const res = await connect(out, checked);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode ?? 0) || !location || request.redirect === "manual") {
        return toResponse(res, out, hop > 0);
      }
      res.resume();
      if (request.redirect === "error")
        throw new TypeError(`${out.url.href} redirected; redirects are refused.`);
      if (hop >= MAX_REDIRECTS)
        throw new TypeError(`Stopped after ${MAX_REDIRECTS} redirects at ${out.url.href}.`);
      out = followRedirect(out, res.statusCode ?? 302, location);
    }
  };
}

/** `fetch` through the guard with the default policy (public addresses only). */
export const guardedFetch: FetchFunction = createGuardedFetch();
