import dns from "node:dns/promises";
import net from "node:net";

export interface WebhookPolicy {
  /** Allow loopback, private, link-local and other non-public targets (tests, trusted LANs). */
  allowPrivateNetworks?: boolean;
  /** Host names always allowed, whatever they resolve to (exact match, lower case). */
  allowedHosts?: string[];
  /** Allow plain http:// (default true; push receivers are often plain HTTP behind a proxy). */
  allowHttp?: boolean;
  /** DNS lookup, replaceable in tests. */
  lookup?: (host: string) => Promise<string[]>;
}

/** Raised when a webhook URL is refused; the message says why and how to allow it. */
export class WebhookRejectedError extends Error {
  override readonly name = "WebhookRejectedError";
}

const BLOCKED_V4: Array<[string, number]> = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => (acc << 8) + Number(octet), 0) >>> 0;
}

function isBlockedV4(ip: string): boolean {
  const value = v4ToInt(ip);
  return BLOCKED_V4.some(([base, bits]) => {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (value & mask) === (v4ToInt(base) & mask);
  });
}

function isBlockedV6(ip: string): boolean {
  const lower = ip.toLowerCase();
  const mapped = lower.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped?.[1]) return isBlockedV4(mapped[1]);
  if (lower === "::" || lower === "::1") return true;
  const first = Number.parseInt(lower.split(":")[0] || "0", 16);
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((first & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/** True for addresses a webhook must not reach by default (loopback, private, link-local, ...). */
export function isNonPublicAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return isBlockedV4(ip);
  if (net.isIPv6(ip)) return isBlockedV6(ip);
  return true;
}

async function defaultLookup(host: string): Promise<string[]> {
  const results = await dns.lookup(host, { all: true, verbatim: true });
  return results.map((r) => r.address);
}

/**
 * Checks a push-notification webhook URL against the policy: scheme, embedded credentials, and
 * every address its host resolves to (so a public name pointing at 127.0.0.1 is refused too).
 * Returns the resolved addresses.
 */
export async function assertSafeWebhookUrl(raw: string, policy: WebhookPolicy = {}): Promise<string[]> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookRejectedError(`Push notification URL "${raw}" is not a valid absolute URL.`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowHttp !== false)) {
    throw new WebhookRejectedError(`Push notification URL must use https (got "${url.protocol}").`);
  }
  if (url.username || url.password) {
    throw new WebhookRejectedError(
      "Push notification URL must not embed credentials; use the authentication field instead.",
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (policy.allowedHosts?.map((h) => h.toLowerCase()).includes(host)) return [];
  if (policy.allowPrivateNetworks) return [];
  if (host === "localhost" || host.endsWith(".localhost")) {
    throw new WebhookRejectedError(
      `Push notification URL host "${host}" is loopback; set a2a.push.allowPrivateNetworks to allow it.`,
    );
  }
  const addresses = net.isIP(host) ? [host] : await (policy.lookup ?? defaultLookup)(host).catch(() => []);
  if (addresses.length === 0) {
    throw new WebhookRejectedError(`Push notification URL host "${host}" does not resolve.`);
  }
  const bad = addresses.find(isNonPublicAddress);
  if (bad) {
    throw new WebhookRejectedError(
      `Push notification URL host "${host}" resolves to non-public address ${bad} (loopback, private or ` +
        "link-local); refused to prevent SSRF. Allow it with allowPrivateNetworks or allowedHosts.",
    );
  }
  return addresses;
}
