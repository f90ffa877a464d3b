import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/**
 * Link-local addresses host cloud metadata services (169.254.169.254, fd00:ec2::254) that hand out
 * credentials; a prompt-injected page must not be able to make the agent fetch them.
 */
export function isMetadataAddress(address: string): boolean {
  const ip = address.toLowerCase().replace(/^\[|\]$/g, "");
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  if (isIP(v4) === 4) return v4.startsWith("169.254.");
  if (isIP(ip) === 6) return /^fe[89ab][0-9a-f]:/.test(ip) || ip === "fd00:ec2::254";
  return false;
}

/** The host's address(es) if it is an IP literal or resolves; empty when resolution fails (fetch reports it). */
async function addressesOf(hostname: string): Promise<string[]> {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (isIP(bare)) return [bare];
  try {
    return (await lookup(bare, { all: true })).map((entry) => entry.address);
  } catch {
    return [];
  }
}

export class BlockedAddressError extends Error {
  override name = "BlockedAddressError";
}

/** DNS lookups cannot be cancelled; stop waiting for one when the request is aborted or times out. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Throws `BlockedAddressError` when `url` points at a link-local (cloud metadata) address. */
export async function assertNotMetadataHost(url: URL, signal?: AbortSignal): Promise<void> {
  for (const address of await untilAborted(addressesOf(url.hostname), signal)) {
    if (isMetadataAddress(address)) {
      throw new BlockedAddressError(
        `Refusing to fetch ${url.host}: it is a link-local address (${address}), where cloud metadata ` +
          "services hand out credentials.",
      );
    }
  }
}
