import { formatIPv4, type IpRange, inRange, type ParsedIp, parseIpRange } from "./ip-address.js";

/**
 * Address ranges no tool may reach unless the user allows them: everything that is not the public
 * internet. IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are refused
 * whole, because the embedded address is reachable through them (`[::ffff:127.0.0.1]` is loopback).
 */
const BLOCKED: Array<[string, string]> = [
  ["0.0.0.0/8", "unspecified (this network)"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "carrier-grade NAT (shared)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local (cloud metadata)"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "IETF protocol assignment"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "6to4 relay"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved (and broadcast)"],
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["::ffff:0:0/96", "IPv4-mapped IPv6"],
  ["::/96", "IPv4-compatible IPv6"],
  ["::ffff:0:0:0/96", "IPv4-translated IPv6"],
  ["64:ff9b::/96", "NAT64"],
  ["64:ff9b:1::/48", "local NAT64"],
  ["100::/64", "discard-only"],
  ["2001::/32", "Teredo (embeds an IPv4 address)"],
  ["2001:db8::/32", "documentation"],
  ["2002::/16", "6to4 (embeds an IPv4 address)"],
  ["fc00::/7", "unique-local (private)"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local"],
  ["ff00::/8", "multicast"],
];

// Parsed on the first check, not at import: parsing the IPv6 forms costs every start (`--version`, `run`) ~7 ms.
let parsed: Array<[IpRange, string]> | undefined;
const ranges = (): Array<[IpRange, string]> =>
  (parsed ??= BLOCKED.map(([cidr, reason]) => [parseIpRange(cidr) as IpRange, reason]));

/** Why an address is not public ("loopback", "private", ...), or undefined for a public address. */
export function blockedReason(ip: ParsedIp): string | undefined {
  for (const [range, reason] of ranges()) {
    if (!inRange(ip, range)) continue;
    if (ip.version === 6 && (reason.includes("IPv4") || reason.includes("NAT64"))) {
      const g = ip.groups;
      const embedded = formatIPv4((g[6] ?? 0) * 65536 + (g[7] ?? 0));
      return `${reason} (embeds ${embedded})`;
    }
    return reason;
  }
  return undefined;
}
