import type { Config } from "./config-schema.js";

/**
 * What `ConfigSchema.parse({})` returns, written out: the config when no file and no environment variable sets
 * anything, so a bare `serve` or `run` builds no schema to learn its defaults. `test/config-defaults.test.ts`
 * keeps it equal to the schema's defaults (key order included).
 */
const DEFAULTS: Config = {
  agent: { max_steps: 50, request_timeout_ms: 600_000, max_retries: 4 },
  providers: {},
  permissions: { rules: [], allowed_paths: [] },
  session: { auto_compact: true, compact_threshold: 0.8 },
  tool_router: {},
  rlm: { threshold_chars: 50_000, max_depth: 3, max_iterations: 20 },
  mcp: { servers: {} },
  sandbox: { enabled: false, default: {}, tools: {} },
  git: { run_hooks_in: [] },
  ui: { theme: "marketing" },
  server: { host: "127.0.0.1", port: 4096, task_retention_days: 30, max_tasks: 100_000 },
  telemetry: { crash_reporting: false },
  network: { allow: [] },
  hooks: {
    pre_tool_use: [],
    post_tool_use: [],
    user_prompt_submit: [],
    stop: [],
    session_start: [],
    pre_compact: [],
  },
  tools: { plugin_dirs: [], trusted_keys: [] },
};

/** A fresh copy of the default config (callers may change theirs). */
export function defaultConfig(): Config {
  return structuredClone(DEFAULTS);
}
