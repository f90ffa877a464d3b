import { setKeyPath } from "./key-paths.js";

type Env = Record<string, string | undefined>;

function bool(value: string): boolean | string {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  return value;
}

function num(value: string): number | string {
  const n = Number(value);
  return value.trim() !== "" && Number.isFinite(n) ? n : value;
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Environment variables that override config keys, and how each value is read. */
export const ENV_KEYS: Record<string, { key: string; parse: (v: string) => unknown }> = {
  CODETETHER_DEFAULT_MODEL: { key: "default_model", parse: (v) => v },
  CODETETHER_MAX_STEPS: { key: "agent.max_steps", parse: num },
  CODETETHER_MAX_RETRIES: { key: "agent.max_retries", parse: num },
  CODETETHER_REQUEST_TIMEOUT_MS: { key: "agent.request_timeout_ms", parse: num },
  CODETETHER_AUTO_APPROVE: { key: "permissions.auto_approve", parse: (v) => v },
  CODETETHER_THEME: { key: "ui.theme", parse: (v) => v },
  CODETETHER_TOOL_ROUTER_ENABLED: { key: "tool_router.enabled", parse: bool },
  CODETETHER_TOOL_ROUTER_MODEL_PATH: { key: "tool_router.model_path", parse: (v) => v },
  CODETETHER_TOOL_ROUTER_ARCH: { key: "tool_router.arch", parse: (v) => v },
  CODETETHER_TOOL_ROUTER_DEVICE: { key: "tool_router.device", parse: (v) => v },
  CODETETHER_TOOL_ROUTER_MAX_TOKENS: { key: "tool_router.max_tokens", parse: num },
  CODETETHER_TOOL_ROUTER_TEMPERATURE: { key: "tool_router.temperature", parse: num },
  CODETETHER_TOOL_ROUTER_CONTEXT_SIZE: { key: "tool_router.context_size", parse: num },
  CODETETHER_TOOL_ROUTER_MAX_TOOLS: { key: "tool_router.max_tools", parse: num },
  CODETETHER_CRASH_REPORTING: { key: "telemetry.crash_reporting", parse: bool },
  CODETETHER_NETWORK_ALLOW: { key: "network.allow", parse: list },
};

/** Config values set through the environment (empty values are ignored). */
export function envOverrides(env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, { key, parse }] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== "") setKeyPath(out, key.split("."), parse(value));
  }
  return out;
}
