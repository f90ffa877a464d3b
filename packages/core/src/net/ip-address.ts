import { isIPv4, isIPv6 } from "node:net";

/**
 * IP address parsing for the network guard. Addresses are compared as numbers, never as text: the
 * same address has many spellings (`127.1`, `2130706433`, `0x7f.0.0.1`, `::ffff:7f00:1`), and a
 * text check on one spelling is what let `[::ffff:127.0.0.1]` through before.
 */

export type ParsedIp = { version: 4; value: number } | { version: 6; groups: number[] };

/** One inet_aton part: decimal, octal (leading 0) or hex (0x). */
function parseV4Part(part: string): number | undefined {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return Number.parseInt(part.slice(1), 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return undefined;
}

/**
 * An IPv4 address in any inet_aton spelling (`127.0.0.1`, `127.1`, `2130706433`, `0177.0.0.1`,
 * `0x7f.1`) as a 32-bit number; undefined when the text is not one. Resolvers and URL parsers accept
 * all of these, so the guard must too.
 */
export function parseIPv4Loose(text: string): number | undefined {
  const parts = text.replace(/\.$/, "").split(".");
  if (parts.length === 0 || parts.length > 4) return undefined;
  const values = parts.map(parseV4Part);
  if (values.some((v) => v === undefined)) return undefined;
  const nums = values as number[];
  const last = nums[nums.length - 1] as number;
  const head = nums.slice(0, -1);
  if (head.some((v) => v > 255)) return undefined;
  const lastBits = 8 * (5 - nums.length);
  if (last >= 2 ** lastBits) return undefined;
  let value = 0;
  for (const v of head) value = value * 256 + v;
  return value * 2 ** lastBits + last;
}

function parseIPv6(text: string): number[] | undefined {
  if (!isIPv6(text)) return undefined;
  let body = text.toLowerCase().replace(/%.*$/, "");
  const tail: number[] = [];
  const dotted = body.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted?.[1] && dotted[2]) {
    const v4 = parseIPv4Loose(dotted[2]) ?? 0;
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    body = dotted[1].endsWith("::") ? dotted[1] : dotted[1].slice(0, -1);
  }
  const [left = "", right] = body.split("::");
  const toGroups = (s: string) => (s ? s.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const head = toGroups(left);
  const rest = [...(right === undefined ? [] : toGroups(right)), ...tail];
  const missing = 8 - head.length - rest.length;
  if (right === undefined && missing !== 0) return undefined;
  return [...head, ...Array<number>(Math.max(0, missing)).fill(0), ...rest];
}

/** Parses an address literal (brackets allowed) in any spelling; undefined for a host name. */
export function parseIp(text: string): ParsedIp | undefined {
  const bare = text.trim().replace(/^\[|\]$/g, "");
  if (isIPv6(bare)) {
    const groups = parseIPv6(bare);
    return groups ? { version: 6, groups } : undefined;
  }
  const v4 = isIPv4(bare) ? parseIPv4Loose(bare) : parseIPv4Loose(bare.toLowerCase());
  return v4 === undefined ? undefined : { version: 4, value: v4 };
}

export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** The canonical text of an address (`127.0.0.1`, `::ffff:7f00:1`), for messages and comparisons. */
export function formatIp(ip: ParsedIp): string {
  if (ip.version === 4) return formatIPv4(ip.value);
  const hex = ip.groups.map((g) => g.toString(16));
  // Compress the longest run of zero groups, as RFC 5952 does.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (ip.groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && ip.groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/** A CIDR range (`10.0.0.0/8`, `fd00::/8`) or a single address; undefined when the text is neither. */
export interface IpRange {
  base: ParsedIp;
  bits: number;
}

export function parseIpRange(text: string): IpRange | undefined {
  const [addr = "", bitsText] = text.trim().split("/");
  const base = parseIp(addr);
  if (!base) return undefined;
  const max = base.version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return undefined;
  return { base, bits };
}

/** The address as bits, most significant first (32 for IPv4, 128 for IPv6). */
function bitsOf(ip: ParsedIp): number[] {
  const words = ip.version === 4 ? [ip.value] : ip.groups;
  const width = ip.version === 4 ? 32 : 16;
  return words.flatMap((w) =>
    Array.from({ length: width }, (_, i) => Math.floor(w / 2 ** (width - 1 - i)) % 2),
  );
}

export function inRange(ip: ParsedIp, range: IpRange): boolean {
  if (ip.version !== range.base.version) return false;
  const a = bitsOf(ip);
  const b = bitsOf(range.base);
  for (let i = 0; i < range.bits; i++) if (a[i] !== b[i]) return false;
  return true;
}
