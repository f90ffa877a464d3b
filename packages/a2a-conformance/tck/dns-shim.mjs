// Node preload (`node --import`) for machines without DNS: `example.com`, which the TCK's push-notification
// tests register as a webhook host, resolves to a public address, so the server's SSRF guard accepts it as it
// would with DNS (nothing is ever sent there: those tests only create, read and delete the configuration).
// Every other name resolves normally. Not needed where DNS works.
import dns from "node:dns";
import dnsPromises from "node:dns/promises";
import { syncBuiltinESMExports } from "node:module";

const PUBLIC = "93.184.215.14";
const NAMES = new Set(["example.com", "www.example.com"]);
const shimmed = (host) => NAMES.has(String(host).toLowerCase());

const lookup = dns.lookup;
dns.lookup = function shimmedLookup(host, options, callback) {
  if (!shimmed(host)) return lookup.call(dns, host, options, callback);
  const cb = typeof options === "function" ? options : callback;
  const all = typeof options === "object" && options !== null && options.all;
  if (all) return process.nextTick(cb, null, [{ address: PUBLIC, family: 4 }]);
  return process.nextTick(cb, null, PUBLIC, 4);
};
for (const api of new Set([dnsPromises, dns.promises])) {
  const original = api.lookup;
  api.lookup = async function shimmedPromisesLookup(host, options) {
    if (!shimmed(host)) return original.call(api, host, options);
    const answer = { address: PUBLIC, family: 4 };
    return typeof options === "object" && options?.all ? [answer] : answer;
  };
}
// ES module imports of node:dns and node:dns/promises see the patched functions too.
syncBuiltinESMExports();
