export { blockedReason } from "./blocked-ranges.js";
export { createGuardedFetch, type FetchFunction, guardedFetch } from "./guarded-fetch.js";
export {
  formatIp,
  type IpRange,
  inRange,
  type ParsedIp,
  parseIPv4Loose,
  parseIp,
  parseIpRange,
} from "./ip-address.js";
export {
  bareHost,
  type CheckedHost,
  checkHost,
  checkUrl,
  DEFAULT_OPT_IN_HINT,
  NetworkGuardError,
  type NetworkPolicy,
} from "./network-policy.js";
