import { checkUrl, createGuardedFetch, NetworkGuardError, type NetworkPolicy } from "@codetether/core";

/** Bounded HTTP GET for the web tools: http(s) only, a byte cap, a time limit, and actionable errors. */

export interface LimitedFetchOptions {
  /** Bytes of body kept; the rest is discarded and `truncated` is set. */
  maxBytes: number;
  /** Whole-request time limit (connect + headers + body). */
  timeoutMs: number;
  signal?: AbortSignal;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /**
   * Which non-public addresses may be reached (`[network] allow`); by default only public ones. Every
   * redirect hop is checked again.
   */
  network?: NetworkPolicy;
  /**
   * Replaces the guarded fetch (tests, proxies). Each hop's host is still checked against `network`,
   * but only the default fetch also pins the connection to the checked address.
   */
  fetch?: typeof fetch;
}

export interface LimitedResponse {
  url: string;
  status: number;
  statusText: string;
  contentType: string;
  body: string;
  bytes: number;
  truncated: boolean;
}

/** Thrown for every failure; `code` lets callers tailor advice (offline vs. timeout vs. bad URL). */
export class WebFetchError extends Error {
  constructor(
    message: string,
    readonly code:
      | "invalid_url"
      | "scheme"
      | "blocked_address"
      | "too_many_redirects"
      | "timeout"
      | "aborted"
      | "network"
      | "offline",
  ) {
    super(message);
    this.name = "WebFetchError";
  }
}

const ALLOWED_SCHEMES = new Set(["http:", "https:"]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

const OFFLINE_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "ECONNREFUSED"]);

/** Parses and checks a URL; only http(s) is fetched (no file:, data:, ftp:, javascript:). */
export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new WebFetchError(
      `"${raw}" is not a valid absolute URL. Pass a full URL such as "https://example.com/page".`,
      "invalid_url",
    );
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    throw new WebFetchError(
      `Refusing to fetch "${url.protocol}" URLs; only http:// and https:// are allowed. ` +
        "Use the read tool for local files.",
      "scheme",
    );
  }
  return url;
}

function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export async function fetchLimited(
  target: string | URL,
  options: LimitedFetchOptions,
): Promise<LimitedResponse> {
  const url = typeof target === "string" ? parseHttpUrl(target) : parseHttpUrl(target.href);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const doFetch = options.fetch ?? createGuardedFetch(options.network);
  let response: Response;
  let current = url;
  try {
    let method = options.method ?? "GET";
    let body = options.body;
    // Redirects are followed by hand so every hop is checked (scheme, then the network guard).
    for (let hop = 0; ; hop++) {
      if (options.fetch) await checkUrl(current, options.network, signal);
      response = await doFetch(current, {
        method,
        headers: {
          "user-agent": "codetether (+https://github.com/codetether/codetether)",
          ...options.headers,
        },
        ...(body !== undefined ? { body } : {}),
        redirect: "manual",
        signal,
      });
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
      if (!location) break;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) {
        throw new WebFetchError(
          `Stopped after ${MAX_REDIRECTS} redirects starting at ${url.href}.`,
          "too_many_redirects",
        );
      }
      current = parseHttpUrl(new URL(location, current).href);
      if (
        response.status === 303 ||
        (method === "POST" && response.status !== 307 && response.status !== 308)
      ) {
        method = "GET";
        body = undefined;
      }
    }
    const { text, bytes, truncated } = await readCapped(response, options.maxBytes);
    return {
      url: current.href,
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get("content-type") ?? "",
      body: text,
      bytes,
      truncated,
    };
  } catch (err) {
    if (err instanceof WebFetchError) throw err;
    if (err instanceof NetworkGuardError) throw new WebFetchError(err.message, "blocked_address");
    if (options.signal?.aborted) throw new WebFetchError(`Request to ${url.host} was cancelled.`, "aborted");
    if (timeout.aborted) {
      throw new WebFetchError(
        `Request to ${url.href} timed out after ${Math.round(options.timeoutMs / 1000)}s. ` +
          "Try again later or raise the timeout.",
        "timeout",
      );
    }
    const code = networkCode(err);
    if (code && OFFLINE_CODES.has(code)) {
      throw new WebFetchError(
        `Could not reach ${url.host} (${code}): the machine looks offline, the host does not resolve, ` +
          "or nothing is listening there. Check the URL and the network connection.",
        "offline",
      );
    }
    throw new WebFetchError(
      `Request to ${url.href} failed: ${code ? `${code} ` : ""}${(err as Error).message}`,
      "network",
    );
  }
}

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; bytes: number; truncated: boolean }> {
  if (!response.body) return { text: "", bytes: 0, truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - kept;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      kept += room;
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    kept += value.byteLength;
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  return { text, bytes: kept, truncated };
}
