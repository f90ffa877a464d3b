import { z } from "zod";
import { PermissionRuleSchema } from "../permission/permission-rule.js";
import { lazySchema } from "../util/lazy-schema.js";

const modelString = lazySchema(() =>
  z.string().regex(/^[^/\s]+\/\S+$/, 'expected "provider/model", e.g. "openai/gpt-4o"'),
);

export const ProviderConfigSchema = lazySchema(() =>
  z.object({
    api_key: z.string().optional(),
    base_url: z.string().url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Wire protocol of a custom provider id: defaults to OpenAI-compatible. */
    api: z.enum(["openai", "anthropic", "google", "bedrock"]).optional(),
    /** A third-party provider: the package (resolved from the project) or file whose `createProvider` builds it. */
    module: z.string().min(1).optional(),
    default_model: z.string().optional(),
    region: z.string().optional(),
    /** github-copilot only: GitHub API base for the Copilot token exchange (GitHub Enterprise, local fakes). */
    github_api_url: z.string().url().optional(),
    /** Models not in the built-in catalog, with their limits. */
    models: z
      .record(
        z.string(),
        z.object({
          context_window: z.number().int().positive().optional(),
          max_output_tokens: z.number().int().positive().optional(),
          supports_tools: z.boolean().optional(),
          supports_vision: z.boolean().optional(),
          input_price: z.number().nonnegative().optional(),
          output_price: z.number().nonnegative().optional(),
        }),
      )
      .optional(),
  }),
);

export const McpServerConfigSchema = lazySchema(() =>
  z
    .object({
      command: z.string().optional(),
      args: z.array(z.string()).optional(),
      env: z.record(z.string(), z.string()).optional(),
      url: z.string().url().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      enabled: z.boolean().default(true),
    })
    .refine((s) => Boolean(s.command) !== Boolean(s.url), {
      message: 'set exactly one of "command" (stdio server) or "url" (streamable HTTP server)',
    }),
);

export const SandboxPolicySchema = lazySchema(() =>
  z.object({
    max_memory: z.string().optional(),
    max_cpu_seconds: z.number().int().positive().optional(),
    max_processes: z.number().int().positive().optional(),
    max_file_size: z.string().optional(),
    network: z.enum(["deny", "allow"]).optional(),
    network_allow: z.array(z.string()).optional(),
    /** Connecting to host Unix sockets (docker.sock, D-Bus): refused (seccomp) unless "allow", whatever `network` is. */
    unix_sockets: z.enum(["deny", "allow"]).optional(),
    writable_paths: z.array(z.string()).optional(),
    /** Paths inside $HOME the sandbox shows read-only (the rest of $HOME is an empty tmpfs). */
    readable_paths: z.array(z.string()).optional(),
  }),
);

/** An environment variable name, or a glob of names (`*` any run of characters, `?` one), matched ignoring case. */
const envPattern = lazySchema(() =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9_*?]+$/,
      'expected a variable name or glob such as "AWS_*" (letters, digits, "_", "*" and "?")',
    ),
);

/**
 * `[shell_environment_policy]` (codex's keys): the environment of the commands run on the model's behalf (bash,
 * language servers, ralph's quality checks). Absent: they inherit codetether's whole environment (the sandbox, when
 * on, keeps only its allow-list). See README § Security.
 */
export const ShellEnvironmentPolicySchema = lazySchema(() =>
  z.object({
    /** Starting point: every variable, the core ones (PATH, HOME, USER, SHELL, LANG, TMPDIR, ...) or none. */
    inherit: z.enum(["all", "core", "none"]).optional(),
    /** true keeps variables named `*KEY*`, `*SECRET*`, `*TOKEN*` (dropped by default). */
    ignore_default_excludes: z.boolean().optional(),
    /** Variables dropped (globs). */
    exclude: z.array(envPattern).optional(),
    /** Variables set (after the excludes). */
    set: z
      .record(
        z
          .string()
          .regex(
            /^[A-Za-z_][A-Za-z0-9_]*$/,
            "expected a variable name (letters, digits and _, not first a digit)",
          ),
        z.string(),
      )
      .optional(),
    /** When not empty, only variables matching one of these globs are kept (applied last). */
    include_only: z.array(envPattern).optional(),
  }),
);

/** One `[[hooks.<event>]]` table: a shell command run on the event (see README § Hooks). */
export const HookConfigSchema = lazySchema(() =>
  z.object({
    /** Tool-name glob for tool events (`bash`, `write|edit`, `mcp_*`); `startup|resume` / `auto|manual` otherwise. */
    matcher: z.string().optional(),
    command: z.string().min(1),
    /** Seconds before the hook's process group is killed (default 60). */
    timeout: z.number().positive().max(3600).optional(),
  }),
);

export const HooksConfigSchema = lazySchema(() => {
  const list = () => z.array(HookConfigSchema).default([]);
  return z
    .object({
      pre_tool_use: list(),
      post_tool_use: list(),
      user_prompt_submit: list(),
      stop: list(),
      session_start: list(),
      pre_compact: list(),
    })
    .default({
      pre_tool_use: [],
      post_tool_use: [],
      user_prompt_submit: [],
      stop: [],
      session_start: [],
      pre_compact: [],
    });
});

export const ConfigSchema = lazySchema(() =>
  z.object({
    default_model: modelString.optional(),
    agent: z
      .object({
        max_steps: z.number().int().positive().max(1000).default(50),
        system_prompt: z.string().optional(),
        request_timeout_ms: z.number().int().positive().default(600_000),
        max_retries: z.number().int().nonnegative().max(20).default(4),
      })
      .default({ max_steps: 50, request_timeout_ms: 600_000, max_retries: 4 }),
    providers: z.record(z.string(), ProviderConfigSchema).default({}),
    permissions: z
      .object({
        rules: z.array(PermissionRuleSchema).default([]),
        auto_approve: z.enum(["all", "safe", "none"]).optional(),
        /** Extra roots file tools may touch besides the workspace. */
        allowed_paths: z.array(z.string()).default([]),
      })
      .default({ rules: [], allowed_paths: [] }),
    session: z
      .object({
        auto_compact: z.boolean().default(true),
        /** Fraction of the context window at which compaction starts. */
        compact_threshold: z.number().gt(0).lt(1).default(0.8),
      })
      .default({ auto_compact: true, compact_threshold: 0.8 }),
    tool_router: z
      .object({
        enabled: z.boolean().optional(),
        model_path: z.string().optional(),
        arch: z.string().optional(),
        device: z.enum(["auto", "cpu", "cuda", "vulkan"]).optional(),
        max_tokens: z.number().int().positive().optional(),
        temperature: z.number().min(0).max(2).optional(),
        context_size: z.number().int().min(256).optional(),
        max_tools: z.number().int().min(1).max(256).optional(),
      })
      .default({}),
    rlm: z
      .object({
        threshold_chars: z.number().int().positive().default(50_000),
        max_depth: z.number().int().positive().max(10).default(3),
        max_iterations: z.number().int().positive().default(20),
      })
      .default({ threshold_chars: 50_000, max_depth: 3, max_iterations: 20 }),
    mcp: z
      .object({ servers: z.record(z.string(), McpServerConfigSchema).default({}) })
      .default({ servers: {} }),
    sandbox: z
      .object({
        enabled: z.boolean().default(false),
        default: SandboxPolicySchema.default({}),
        tools: z.record(z.string(), SandboxPolicySchema).default({}),
      })
      .default({ enabled: false, default: {}, tools: {} }),
    git: z
      .object({
        /** Folders whose repository hooks/fsmonitor codetether's own git may run (honoured from user config only). */
        run_hooks_in: z.array(z.string()).default([]),
      })
      .default({ run_hooks_in: [] }),
    ui: z
      .object({
        theme: z
          .enum(["marketing", "dark", "light", "solarized-dark", "solarized-light"])
          .default("marketing"),
      })
      .default({ theme: "marketing" }),
    server: z
      .object({
        host: z.string().default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(4096),
        /** Finished A2A tasks older than this many days are deleted (0 keeps them). */
        task_retention_days: z.number().int().min(0).default(30),
        /** At most this many A2A tasks are stored; the oldest finished ones go first (0 = no cap). */
        max_tasks: z.number().int().min(0).default(100_000),
      })
      .default({ host: "127.0.0.1", port: 4096, task_retention_days: 30, max_tasks: 100_000 }),
    telemetry: z
      .object({ crash_reporting: z.boolean().default(false), endpoint: z.string().url().optional() })
      .default({ crash_reporting: false }),
    /**
     * The network guard of every tool that makes requests (webfetch, websearch, image, MCP over HTTP):
     * non-public addresses (loopback, private, link-local, ...) are refused unless listed here as host
     * names (`*.corp.example` for subdomains), IP addresses or CIDR ranges.
     */
    network: z.object({ allow: z.array(z.string()).default([]) }).default({ allow: [] }),
    /** Shell commands run on agent events (tool calls, prompts, stop, session start, compaction). */
    hooks: HooksConfigSchema,
    shell_environment_policy: ShellEnvironmentPolicySchema.optional(),
    tools: z
      .object({
        plugin_dirs: z.array(z.string()).default([]),
        trusted_keys: z.array(z.string()).default([]),
      })
      .default({ plugin_dirs: [], trusted_keys: [] }),
  }),
);

export type Config = z.infer<typeof ConfigSchema>;
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;
export type McpServerConfig = z.infer<typeof McpServerConfigSchema>;
export type HookConfig = z.infer<typeof HookConfigSchema>;
export type HooksConfig = z.infer<typeof HooksConfigSchema>;
export type SandboxPolicyConfig = z.infer<typeof SandboxPolicySchema>;
export type ShellEnvironmentPolicyConfig = z.infer<typeof ShellEnvironmentPolicySchema>;
