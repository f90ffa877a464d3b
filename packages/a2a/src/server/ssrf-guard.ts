import { blockedReason, checkHost, NetworkGuardError, type NetworkPolicy, parseIp } from "@codetether/core";

export interface WebhookPolicy {
  /** Allow loopback, private, link-local and other non-public targets (tests, trusted LANs). */
  allowPrivateNetworks?: boolean;
  /**
   * Always allowed: host names (exact, case-insensitive; `*.corp.example` for subdomains) whatever they
   * resolve to, IP addresses, or CIDR ranges (`10.0.0.0/8`).
   */
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

/** The push policy as the shared network guard's policy (the same guard webfetch and MCP use). */
export function webhookNetworkPolicy(policy: WebhookPolicy): NetworkPolicy {
  return {
    allow: policy.allowedHosts ?? [],
    allowPrivate: policy.allowPrivateNetworks === true,
    ...(policy.lookup ? { lookup: policy.lookup } : {}),
    optInHint:
      "list it in a2a.push.allowedHosts (CODETETHER_A2A_PUSH_ALLOWED_HOSTS: host names, addresses or CIDR " +
      "ranges) or set allowPrivateNetworks (CODETETHER_A2A_PUSH_ALLOW_PRIVATE=true)",
  };
}

/**
 * True for addresses a webhook must not reach by default: loopback, private, link-local, CGNAT,
 * unique-local, multicast, unspecified, and IPv6 forms embedding IPv4 (mapped, compatible, NAT64), in
 * any spelling. Anything that is not an address at all counts as non-public.
 */
export function isNonPublicAddress(ip: string): boolean {
  const parsed = parseIp(ip);
  return !parsed || blockedReason(parsed) !== undefined;
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
  try {
    const checked = await checkHost(url.hostname, webhookNetworkPolicy(policy));
    return checked.addresses.map((a) => a.address);
  } catch (err) {
    const reason =
      err instanceof NetworkGuardError ? err.message : `it does not resolve (${(err as Error).message})`;
    throw new WebhookRejectedError(`Push notification URL ${url.host} refused: ${reason}`);
  }
}
