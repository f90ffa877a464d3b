import { lookup as dnsLookup } from "node:dns/promises";
import { blockedReason } from "./blocked-ranges.js";
import { formatIp, type IpRange, inRange, type ParsedIp, parseIp, parseIpRange } from "./ip-address.js";

/**
 * What non-public addresses a caller may reach. The default (an empty policy) reaches the public
 * internet only; everything else is an explicit opt-in by the user.
 */
export interface NetworkPolicy {
  /**
   * Host names (exact, case-insensitive; `*.corp.example` for subdomains), IP addresses or CIDR ranges
   * that may be reached although they are not public: the `[network] allow` config key.
   */
  allow?: readonly string[];
  /** Every non-public address is allowed (trusted LANs, tests). */
  allowPrivate?: boolean;
  /** How to resolve a host name to all its addresses; replaceable in tests. */
  lookup?: (host: string) => Promise<string[]>;
  /** How the refusal tells the user to opt in (the config key of the caller). */
  optInHint?: string;
}

export const DEFAULT_OPT_IN_HINT = 'add it to `[network] allow = ["<host or CIDR>"]` in your user config';

/** Raised when a request's target is refused; the message says what was refused, why, and how to allow it. */
export class NetworkGuardError extends Error {
  override readonly name = "NetworkGuardError";
}

/** A checked target: the addresses the request may connect to (all were checked). */
export interface CheckedHost {
  host: string;
  addresses: Array<{ address: string; family: 4 | 6 }>;
}

/** The URL's host as the resolver sees it: no brackets, lower case, no trailing dot. */
export function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
}

function nameMatches(host: string, entry: string): boolean {
  const name = entry.trim().toLowerCase().replace(/\.$/, "");
  if (name.startsWith("*.")) return host.endsWith(name.slice(1));
  return host === name;
}

function allowedRanges(policy: NetworkPolicy): IpRange[] {
  return (policy.allow ?? []).map((e) => parseIpRange(e)).filter((r): r is IpRange => r !== undefined);
}

async function defaultLookup(host: string): Promise<string[]> {
  return (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}

/** DNS lookups cannot be cancelled; stop waiting for one when the request is aborted. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function refuse(host: string, address: string, reason: string, policy: NetworkPolicy): never {
  const shown = host === address ? host : `${host} (${address})`;
  throw new NetworkGuardError(
    `Refusing to connect to ${shown}: it is a ${reason} address, and requests to non-public addresses ` +
      `are blocked (SSRF guard). If you trust it, ${policy.optInHint ?? DEFAULT_OPT_IN_HINT}.`,
  );
}

/**
 * Resolves a host once and checks every address it has against the policy: a name with one public and
 * one loopback address is refused. Connect only to the returned addresses (see `guardedFetch`), so a
 * second resolution cannot swap in another address (DNS rebinding).
 */
export async function checkHost(
  hostname: string,
  policy: NetworkPolicy = {},
  signal?: AbortSignal,
): Promise<CheckedHost> {
  const host = bareHost(hostname);
  const literal = parseIp(host);
  const nameAllowed = !literal && (policy.allow ?? []).some((entry) => nameMatches(host, entry));
  let parsed: ParsedIp[];
  if (literal) {
    parsed = [literal];
  } else if ((host === "localhost" || host.endsWith(".localhost")) && !nameAllowed && !policy.allowPrivate) {
    // RFC 6761: always loopback, whatever a resolver says.
    refuse(host, host, "loopback", policy);
  } else {
    let resolved: string[];
    try {
      resolved = await untilAborted((policy.lookup ?? defaultLookup)(host), signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      const code = (err as { code?: string }).code;
      throw Object.assign(new Error(`Could not resolve ${host}${code ? ` (${code})` : ""}.`), {
        code: code ?? "ENOTFOUND",
      });
    }
    parsed = resolved.map((a) => parseIp(a)).filter((p): p is ParsedIp => p !== undefined);
    if (parsed.length === 0) {
      throw Object.assign(new Error(`Could not resolve ${host} (ENOTFOUND).`), { code: "ENOTFOUND" });
    }
  }
  const ranges = allowedRanges(policy);
  const addresses: CheckedHost["addresses"] = [];
  for (const ip of parsed) {
    const text = formatIp(ip);
    if (!nameAllowed && !policy.allowPrivate && !ranges.some((r) => inRange(ip, r))) {
      const reason = blockedReason(ip);
      if (reason) refuse(host, text, reason, policy);
    }
    addresses.push({ address: text, family: ip.version });
  }
  return { host, addresses };
}

/** Checks a URL's host (see `checkHost`). */
export function checkUrl(url: URL, policy: NetworkPolicy = {}, signal?: AbortSignal): Promise<CheckedHost> {
  return checkHost(url.hostname, policy, signal);
}
