import type { ConnectionLimits } from "./connection-limits.js";
import type { ServerOptions } from "./server-options.js";

type Env = Record<string, string | undefined>;

function bool(env: Env, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new Error(`${name} must be true or false (got "${v}").`);
}

function int(env: Env, name: string, min: number, max: number): number | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max} (got "${v}").`);
  }
  return n;
}

/**
 * Server settings from the environment: `CODETETHER_COGNITION_ENABLED`, `CODETETHER_COGNITION_AUTO_START`,
 * `CODETETHER_COGNITION_LOOP_INTERVAL_MS`, `CODETETHER_A2A_PUSH_ALLOW_PRIVATE`,
 * `CODETETHER_A2A_PUSH_ALLOWED_HOSTS` (comma list), `CODETETHER_PUBLIC_URL`, the connection caps
 * `CODETETHER_SERVER_MAX_CONNECTIONS`, `CODETETHER_SERVER_MAX_CONNECTIONS_PER_ADDRESS`,
 * `CODETETHER_SERVER_HEADERS_TIMEOUT_MS`, `CODETETHER_SERVER_REQUEST_TIMEOUT_MS`. Invalid values throw an
 * error naming the variable. Merge the result under explicit CLI options.
 */
export function serverOptionsFromEnv(env: Env = process.env): Partial<ServerOptions> {
  const out: Partial<ServerOptions> = {};
  const enabled = bool(env, "CODETETHER_COGNITION_ENABLED");
  const autoStart = bool(env, "CODETETHER_COGNITION_AUTO_START");
  const loopIntervalMs = int(env, "CODETETHER_COGNITION_LOOP_INTERVAL_MS", 50, 3_600_000);
  if (enabled !== undefined || autoStart !== undefined || loopIntervalMs !== undefined) {
    out.cognition = {
      ...(enabled !== undefined ? { enabled } : {}),
      ...(autoStart !== undefined ? { autoStart } : {}),
      ...(loopIntervalMs !== undefined ? { loopIntervalMs } : {}),
    };
  }
  const allowPrivate = bool(env, "CODETETHER_A2A_PUSH_ALLOW_PRIVATE");
  const hosts = env.CODETETHER_A2A_PUSH_ALLOWED_HOSTS?.split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (allowPrivate !== undefined || hosts?.length) {
    out.push = {
      ...(allowPrivate !== undefined ? { allowPrivateNetworks: allowPrivate } : {}),
      ...(hosts?.length ? { allowedHosts: hosts } : {}),
    };
  }
  const publicUrl = env.CODETETHER_PUBLIC_URL;
  if (publicUrl) {
    try {
      new URL(publicUrl);
    } catch {
      throw new Error(`CODETETHER_PUBLIC_URL must be an absolute URL (got "${publicUrl}").`);
    }
    out.publicUrl = publicUrl.replace(/\/+$/, "");
  }
  const limits: ConnectionLimits = {};
  const maxConnections = int(env, "CODETETHER_SERVER_MAX_CONNECTIONS", 1, 1_000_000);
  const perAddress = int(env, "CODETETHER_SERVER_MAX_CONNECTIONS_PER_ADDRESS", 1, 1_000_000);
  const headersTimeoutMs = int(env, "CODETETHER_SERVER_HEADERS_TIMEOUT_MS", 100, 600_000);
  const requestTimeoutMs = int(env, "CODETETHER_SERVER_REQUEST_TIMEOUT_MS", 100, 3_600_000);
  if (maxConnections !== undefined) limits.maxConnections = maxConnections;
  if (perAddress !== undefined) limits.maxConnectionsPerAddress = perAddress;
  if (headersTimeoutMs !== undefined) limits.headersTimeoutMs = headersTimeoutMs;
  if (requestTimeoutMs !== undefined) limits.requestTimeoutMs = requestTimeoutMs;
  if (Object.keys(limits).length > 0) out.connectionLimits = limits;
  return out;
}
