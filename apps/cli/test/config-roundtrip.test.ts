import fs from "node:fs/promises";
import path from "node:path";
import { ConfigSchema } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";

type Json = Record<string, unknown>;
interface ZodLike {
  def: { type: string; innerType?: ZodLike; valueType?: ZodLike; shape?: Record<string, ZodLike> };
  shape?: Record<string, ZodLike>;
}

/** Every leaf key of a zod schema; record keys are `*`; records of scalars (headers, env) are leaves. */
function leafKeys(schema: ZodLike, at = ""): string[] {
  const { def } = schema;
  if (["optional", "default", "nullable", "prefault"].includes(def.type) && def.innerType)
    return leafKeys(def.innerType, at);
  if (def.type === "object") {
    const shape = schema.shape ?? def.shape ?? {};
    return Object.entries(shape).flatMap(([k, v]) => leafKeys(v, at ? `${at}.${k}` : k));
  }
  if (def.type === "record" && def.valueType) {
    const inner = leafKeys(def.valueType, `${at}.*`);
    return inner.length === 1 && inner[0] === `${at}.*` ? [at] : inner;
  }
  return [at];
}

/**
 * A valid, non-default value (as typed on the command line) for every leaf key; `*` segments become
 * `myprov`, `m1`, `s1`/`s2` (one stdio and one HTTP MCP server, which must not share a table) and `bash`.
 */
const SAMPLES: Record<string, [key: string, cli: string, expected: unknown]> = {
  default_model: ["default_model", "openai/gpt-4o-mini", "openai/gpt-4o-mini"],
  "agent.max_steps": ["agent.max_steps", "7", 7],
  "agent.system_prompt": ["agent.system_prompt", '"Be brief."', "Be brief."],
  "agent.request_timeout_ms": ["agent.request_timeout_ms", "1234", 1234],
  "agent.max_retries": ["agent.max_retries", "2", 2],
  "providers.*.api_key": ["providers.myprov.api_key", "sk-roundtrip-secret-1234", "****1234"],
  "providers.*.base_url": ["providers.myprov.base_url", "http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1"],
  "providers.*.headers": ["providers.myprov.headers", '{ X-Team = "core" }', { "X-Team": "core" }],
  "providers.*.api": ["providers.myprov.api", "anthropic", "anthropic"],
  "providers.*.module": ["providers.myprov.module", "my-provider-package", "my-provider-package"],
  "providers.*.default_model": ["providers.myprov.default_model", "m1", "m1"],
  "providers.*.region": ["providers.myprov.region", "eu-west-1", "eu-west-1"],
  "providers.*.github_api_url": [
    "providers.myprov.github_api_url",
    "https://github.example.com/api/v3",
    "https://github.example.com/api/v3",
  ],
  "providers.*.models.*.context_window": ["providers.myprov.models.m1.context_window", "8192", 8192],
  "providers.*.models.*.max_output_tokens": ["providers.myprov.models.m1.max_output_tokens", "1024", 1024],
  "providers.*.models.*.supports_tools": ["providers.myprov.models.m1.supports_tools", "false", false],
  "providers.*.models.*.supports_vision": ["providers.myprov.models.m1.supports_vision", "true", true],
  "providers.*.models.*.input_price": ["providers.myprov.models.m1.input_price", "0.5", 0.5],
  "providers.*.models.*.output_price": ["providers.myprov.models.m1.output_price", "1.5", 1.5],
  "permissions.rules": [
    "permissions.rules",
    '[{ tool = "bash", action = "deny" }]',
    [{ tool: "bash", action: "deny" }],
  ],
  "permissions.auto_approve": ["permissions.auto_approve", "safe", "safe"],
  "permissions.allowed_paths": ["permissions.allowed_paths", '["/srv/shared"]', ["/srv/shared"]],
  "session.auto_compact": ["session.auto_compact", "false", false],
  "session.compact_threshold": ["session.compact_threshold", "0.6", 0.6],
  "tool_router.enabled": ["tool_router.enabled", "true", true],
  "tool_router.model_path": ["tool_router.model_path", "/models/fg.gguf", "/models/fg.gguf"],
  "tool_router.arch": ["tool_router.arch", "gemma3", "gemma3"],
  "tool_router.device": ["tool_router.device", "cpu", "cpu"],
  "tool_router.max_tokens": ["tool_router.max_tokens", "256", 256],
  "tool_router.temperature": ["tool_router.temperature", "0.3", 0.3],
  "tool_router.context_size": ["tool_router.context_size", "8192", 8192],
  "tool_router.max_tools": ["tool_router.max_tools", "6", 6],
  "rlm.threshold_chars": ["rlm.threshold_chars", "1000", 1000],
  "rlm.max_depth": ["rlm.max_depth", "2", 2],
  "rlm.max_iterations": ["rlm.max_iterations", "5", 5],
  "mcp.servers.*.command": ["mcp.servers.s1.command", "mcp-server", "mcp-server"],
  "mcp.servers.*.args": ["mcp.servers.s1.args", '["--stdio"]', ["--stdio"]],
  "mcp.servers.*.env": ["mcp.servers.s1.env", '{ LEVEL = "debug" }', { LEVEL: "debug" }],
  "mcp.servers.*.enabled": ["mcp.servers.s1.enabled", "false", false],
  "mcp.servers.*.url": ["mcp.servers.s2.url", "http://127.0.0.1:9/mcp", "http://127.0.0.1:9/mcp"],
  "mcp.servers.*.headers": ["mcp.servers.s2.headers", '{ X-Org = "acme" }', { "X-Org": "acme" }],
  "sandbox.enabled": ["sandbox.enabled", "true", true],
  ...Object.fromEntries(
    (["default", "tools.bash"] as const).flatMap((at) => {
      const pattern = at === "default" ? "sandbox.default" : "sandbox.tools.*";
      const rows: Array<[string, string, unknown]> = [
        ["max_memory", '"512m"', "512m"],
        ["max_cpu_seconds", "30", 30],
        ["max_processes", "16", 16],
        ["max_file_size", '"10m"', "10m"],
        ["network", "allow", "allow"],
        ["network_allow", '["127.0.0.1"]', ["127.0.0.1"]],
        ["writable_paths", '["/tmp"]', ["/tmp"]],
        ["readable_paths", '["~/.cargo"]', ["~/.cargo"]],
        ["unix_sockets", "allow", "allow"],
      ];
      return rows.map(([leaf, cli, expected]) => [
        `${pattern}.${leaf}`,
        [`sandbox.${at}.${leaf}`, cli, expected] as [string, string, unknown],
      ]);
    }),
  ),
  "git.run_hooks_in": ["git.run_hooks_in", '["/srv/trusted"]', ["/srv/trusted"]],
  "ui.theme": ["ui.theme", "solarized-dark", "solarized-dark"],
  "server.host": ["server.host", "0.0.0.0", "0.0.0.0"],
  "server.port": ["server.port", "8080", 8080],
  "server.task_retention_days": ["server.task_retention_days", "7", 7],
  "server.max_tasks": ["server.max_tasks", "5000", 5000],
  "telemetry.crash_reporting": ["telemetry.crash_reporting", "true", true],
  "telemetry.endpoint": [
    "telemetry.endpoint",
    "https://crash.example.test/report",
    "https://crash.example.test/report",
  ],
  "hooks.pre_tool_use": [
    "hooks.pre_tool_use",
    '[{ matcher = "*", command = "echo pre_tool_use", timeout = 5 }]',
    [{ matcher: "*", command: "echo pre_tool_use", timeout: 5 }],
  ],
  "hooks.post_tool_use": [
    "hooks.post_tool_use",
    '[{ matcher = "*", command = "echo post_tool_use", timeout = 5 }]',
    [{ matcher: "*", command: "echo post_tool_use", timeout: 5 }],
  ],
  "hooks.user_prompt_submit": [
    "hooks.user_prompt_submit",
    '[{ matcher = "*", command = "echo user_prompt_submit", timeout = 5 }]',
    [{ matcher: "*", command: "echo user_prompt_submit", timeout: 5 }],
  ],
  "hooks.stop": [
    "hooks.stop",
    '[{ matcher = "*", command = "echo stop", timeout = 5 }]',
    [{ matcher: "*", command: "echo stop", timeout: 5 }],
  ],
  "hooks.session_start": [
    "hooks.session_start",
    '[{ matcher = "*", command = "echo session_start", timeout = 5 }]',
    [{ matcher: "*", command: "echo session_start", timeout: 5 }],
  ],
  "hooks.pre_compact": [
    "hooks.pre_compact",
    '[{ matcher = "*", command = "echo pre_compact", timeout = 5 }]',
    [{ matcher: "*", command: "echo pre_compact", timeout: 5 }],
  ],
  "tools.plugin_dirs": ["tools.plugin_dirs", '["/opt/plugins"]', ["/opt/plugins"]],
  "tools.trusted_keys": ["tools.trusted_keys", '["ed25519:abc"]', ["ed25519:abc"]],
  "network.allow": ["network.allow", '["127.0.0.1", "10.0.0.0/8"]', ["127.0.0.1", "10.0.0.0/8"]],
  "shell_environment_policy.inherit": ["shell_environment_policy.inherit", "core", "core"],
  "shell_environment_policy.ignore_default_excludes": [
    "shell_environment_policy.ignore_default_excludes",
    "true",
    true,
  ],
  "shell_environment_policy.exclude": ["shell_environment_policy.exclude", '["CORP_*"]', ["CORP_*"]],
  "shell_environment_policy.set": ["shell_environment_policy.set", '{ CI = "1" }', { CI: "1" }],
  "shell_environment_policy.include_only": [
    "shell_environment_policy.include_only",
    '["PATH", "HOME"]',
    ["PATH", "HOME"],
  ],
};

function valueAt(obj: Json, key: string): unknown {
  return key.split(".").reduce<unknown>((node, k) => (node as Json | undefined)?.[k], obj);
}

async function show(work: string, env: Record<string, string>) {
  const res = await runCli(["config", "--show", "--json"], { cwd: work, env });
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as { config: Json; sources: Record<string, string> };
}

describe("codetether config round-trips every key of ConfigSchema", () => {
  it("has a sample for every leaf key (a new key must be added here)", () => {
    const keys = leafKeys(ConfigSchema as unknown as ZodLike).sort();
    expect(keys.length).toBeGreaterThan(40);
    expect(Object.keys(SAMPLES).sort()).toEqual(keys);
  });

  it("--set every key, --show reports each value from the user file, --unset restores the defaults", async () => {
    const { work, env } = await makeSandbox();
    const before = await show(work, env);
    const rows = Object.values(SAMPLES);

    const set = await runCli(["config", ...rows.flatMap(([key, cli]) => ["--set", `${key}=${cli}`])], {
      cwd: work,
      env,
    });
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    const userFile = path.join(env.XDG_CONFIG_HOME as string, "codetether", "config.toml");
    expect(set.stdout).toBe(`Updated ${userFile}\n`);

    const after = await show(work, env);
    for (const [key, , expected] of rows) {
      expect({ key, value: valueAt(after.config, key) }).toEqual({ key, value: expected });
      const source = Object.entries(after.sources).find(([k]) => k === key || k.startsWith(`${key}.`));
      expect({ key, source: source?.[1] }).toEqual({ key, source: userFile });
    }
    // The secret never appears in the file listing or the text form in clear.
    const text = await runCli(["config", "--show"], { cwd: work, env });
    expect(text.stdout).toContain(`ui.theme = "solarized-dark"  # ${userFile}`);
    expect(text.stdout).not.toContain("sk-roundtrip-secret");

    const unset = await runCli(["config", ...rows.flatMap(([key]) => ["--unset", key])], { cwd: work, env });
    expect(unset.stderr).toBe("");
    expect(unset.code).toBe(0);
    expect((await fs.readFile(userFile, "utf8")).trim()).toBe("");
    const restored = await show(work, env);
    expect(restored.config).toEqual(before.config);
    expect(restored.sources).toEqual({});
  });

  it("rejects an invalid value for a key, naming it, and writes nothing", async () => {
    const { work, env } = await makeSandbox();
    const res = await runCli(["config", "--set", "server.port=70000", "--set", "ui.theme=dark"], {
      cwd: work,
      env,
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("server.port");
    expect(res.stderr).toContain("Nothing was written");
    const shown = await show(work, env);
    expect(shown.config.ui).toEqual({ theme: "marketing" });
  });
});
