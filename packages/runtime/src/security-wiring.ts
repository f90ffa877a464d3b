import type { Config, PermissionAction, Tool, ToolContext, ToolRegistry, ToolResult } from "@codetether/core";
import type { AuditEntry, AuditLog, Sandbox, SecretStore } from "@codetether/security";
import type { SandboxService } from "@codetether/tools";
import { commandLauncher } from "./command-launcher.js";
import type { KnownSecrets } from "./known-secrets.js";
import { RuntimeError } from "./runtime-error.js";

type Env = Record<string, string | undefined>;

export interface SecurityWiringOptions {
  env: Env;
  config: Config;
  /** The user config dir (trust store, file secret store). */
  configDir: string;
  /** `<dataDir>/audit`, shared with the server. */
  auditDir: string;
  /** Writable for sandboxed commands when the policy names no `writable_paths`. */
  workspaceRoot: string;
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Secret values to mask in tool output and audit records; secret-store values are added as they are read. */
  secrets: KnownSecrets;
}

export interface PermissionDecisionEvent {
  toolId: string;
  paths: string[];
  action: PermissionAction;
  outcome: "allow" | "deny";
  reason?: string;
}

/** Audit trail, plugin tools, sandbox and secrets for one process. Everything heavy loads lazily. */
export interface SecurityWiring {
  /** Appends one audit record (secrets redacted). Fails the command if the log cannot be opened. */
  audit(entry: AuditEntry): Promise<void>;
  /** `RuleGate` `onDecision`: queued, then flushed before the next record and on close. */
  onDecision(event: PermissionDecisionEvent): void;
  /** The secret store (Vault if configured, else env + 0600 file). */
  secretStore(): Promise<SecretStore>;
  /** True once reading the secret store failed (Vault down): a provider missing then is not a config mistake. */
  secretStoreFailed(): boolean;
  /** Provider registry lookup; remembers the values so they are masked in the audit log. */
  secretLookup(providerId: string): Promise<(Record<string, unknown> & { api_key?: string }) | undefined>;
  /**
   * Registers verified plugin tools, wraps every tool with auditing and output redaction and gives `bash`/plugins
   * the sandbox. Safe to call for several registries (each ACP session has its own); tools already wrapped are
   * left as they are.
   */
  secureTools(registry: ToolRegistry): Promise<void>;
  /**
   * The launcher `bash` runs through (its sandbox and `[shell_environment_policy]`) for other commands codetether
   * runs on the model's behalf (ralph's quality checks from the CLI); undefined when neither is configured.
   */
  commandSandbox(): Promise<SandboxService | undefined>;
  /** Flushes and closes the audit log, stops Vault token renewal. Idempotent. */
  close(): Promise<void>;
}

const MAX_DETAIL = 2000;
/** Tools this module wrapped, so a registry secured twice (or sharing tools) is not wrapped twice. */
const WRAPPED = new WeakSet<Tool>();

/** Shortens long strings so one tool call cannot bloat the audit log. */
function clip(value: unknown): unknown {
  if (typeof value === "string") return value.length > MAX_DETAIL ? `${value.slice(0, MAX_DETAIL)}…` : value;
  if (Array.isArray(value)) return value.map(clip);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clip(v)]));
  return value;
}

const envFlag = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

export function createSecurityWiring(options: SecurityWiringOptions): SecurityWiring {
  // Exact values masked in audit records on top of pattern-based redaction (a live array: secret-store values
  // join it as providers read them).
  const knownSecrets = options.secrets.list;
  let log: Promise<AuditLog> | undefined;
  let store: Promise<SecretStore> | undefined;
  let plugins: Promise<Array<{ tool: Tool; dir: string; sandbox: Config["sandbox"]["default"] }>> | undefined;
  let storeFailed = false;
  let closed = false;
  const pending = new Set<Promise<void>>();
  const sandboxes = new Map<string, Sandbox | undefined>();
  const disposers: Array<() => void> = [];
  const verbose = envFlag(options.env.CODETETHER_VERBOSE) || Boolean(options.stderr.isTTY);

  const openLog = () => {
    log ??= import("@codetether/security").then(({ AuditLog }) =>
      AuditLog.open({ dir: options.auditDir, knownSecrets }).catch((err: Error) => {
        throw new RuntimeError(
          `cannot open the audit log in ${options.auditDir}: ${err.message}\n` +
            "Check it with: codetether audit verify",
        );
      }),
    );
    return log;
  };

  const append = async (entry: AuditEntry) => {
    const audit = await openLog();
    const { redactSecrets } = await import("@codetether/security");
    await audit.append({
      ...entry,
      details: redactSecrets(clip(entry.details ?? {}), knownSecrets) as Record<string, unknown>,
    });
  };

  const flushPending = async () => {
    while (pending.size) await Promise.allSettled([...pending]);
  };

  const sandboxFor = async (toolId: string, pluginPolicy?: Config["sandbox"]["default"]) => {
    if (sandboxes.has(toolId)) return sandboxes.get(toolId);
    const { createSandbox, sandboxPolicyFor } = await import("@codetether/security");
    const forced = envFlag(options.env.CODETETHER_SANDBOX);
    const config = forced ? { sandbox: { ...options.config.sandbox, enabled: true } } : options.config;
    const base = sandboxPolicyFor(config, toolId);
    // Plugin tools always run their commands sandboxed: config policy overlaid with the signed manifest's.
    const merged = pluginPolicy ? { ...base, ...pluginPolicy } : base;
    // Secure defaults for what the policy leaves open: only the workspace is writable, no network.
    const policy = merged && {
      ...merged,
      writable_paths: merged.writable_paths ?? [options.workspaceRoot],
      network: merged.network ?? "deny",
    };
    let sandbox: Sandbox | undefined;
    try {
      sandbox = policy ? createSandbox(policy) : undefined;
    } catch (err) {
      throw new RuntimeError(
        `${(err as Error).message} (config [sandbox] for tool "${toolId}"). Fix it with: codetether config --set sandbox.default.<key>=<value>`,
        "usage",
      );
    }
    sandboxes.set(toolId, sandbox);
    if (sandbox && verbose) {
      options.stderr.write(
        `codetether: sandbox for ${toolId}: ${sandbox.activeLimits.join("; ") || "no limits"}\n`,
      );
      for (const w of sandbox.warnings)
        options.stderr.write(`codetether: sandbox warning (${toolId}): ${w}\n`);
    }
    return sandbox;
  };

  const policy = options.config.shell_environment_policy;
  // Values the policy sets under secret-like names are masked in tool output like the environment's own.
  if (policy?.set) options.secrets.addEnv(policy.set);
  let policyShown = false;
  /**
   * The `services.sandbox` the tools package expects (see `command-launcher.ts`): the environment policy and the
   * sandbox; undefined when neither is configured.
   */
  const launcherFor = async (sandbox: Sandbox | undefined): Promise<SandboxService | undefined> => {
    if (!sandbox && !policy) return undefined;
    const { applyShellEnvPolicy } = await import("@codetether/security");
    return commandLauncher({
      sandbox,
      policy,
      applyPolicy: applyShellEnvPolicy,
      onDispose: (dispose) => disposers.push(dispose),
    });
  };

  // Keeps every other field of the tool (hosts such as ACP read more than the core interface).
  const wrapTool = (tool: Tool, pluginPolicy?: Config["sandbox"]["default"]): Tool => {
    if (WRAPPED.has(tool)) return tool;
    const wrapped = auditedTool(tool, pluginPolicy);
    WRAPPED.add(wrapped);
    return wrapped;
  };

  const auditedTool = (tool: Tool, pluginPolicy?: Config["sandbox"]["default"]): Tool => ({
    ...tool,
    id: tool.id,
    description: tool.description,
    parameters: tool.parameters,
    kind: tool.kind,
    ...(tool.paths ? { paths: (args: unknown) => tool.paths?.call(tool, args) ?? [] } : {}),
    async execute(args: unknown, ctx: ToolContext): Promise<ToolResult> {
      await flushPending();
      const actor = `agent:${ctx.sessionId}`;
      // Every tool gets bash's sandbox, not only bash: a tool that starts a program the model could have
      // written (a language server in node_modules/.bin, ralph's quality checks) runs it in the same sandbox.
      const sandbox = await sandboxFor(pluginPolicy ? tool.id : "bash", pluginPolicy);
      const launcher = await launcherFor(sandbox);
      const context: ToolContext =
        launcher && !ctx.services?.sandbox
          ? { ...ctx, services: { ...ctx.services, sandbox: launcher } }
          : ctx;
      const details = { call_id: ctx.callId, args, sandboxed: Boolean(sandbox) };
      await append({ actor, action: "tool.start", resource: tool.id, outcome: "started", details });
      try {
        // Output with a known secret (bash `env`, a config file read back) is masked before the model, the
        // session, events or A2A artifacts see it.
        const { redactKnownSecrets } = await import("@codetether/security");
        const result = redactKnownSecrets(await tool.execute.call(tool, args, context), knownSecrets);
        await append({
          actor,
          action: "tool.execute",
          resource: tool.id,
          outcome: result.isError ? "failure" : "success",
          details: { call_id: ctx.callId, ...(result.isError ? { error: result.output } : {}) },
        });
        return result;
      } catch (err) {
        await append({
          actor,
          action: "tool.execute",
          resource: tool.id,
          outcome: "error",
          details: { call_id: ctx.callId, error: (err as Error).message },
        });
        throw err;
      }
    },
  });

  /** Verified plugin tools, loaded once for every registry of this process. */
  const loadPlugins = async () => {
    if (!options.config.tools.plugin_dirs.length) return [];
    const { loadPluginTools, trustedKeys } = await import("@codetether/security");
    const keys = await trustedKeys(options.configDir, options.config.tools.trusted_keys);
    // Plugin parameters may be plain JSON Schema: validated with ajv (loaded only when plugins are configured).
    const { jsonSchemaParameters, loadAjv } = await import("@codetether/tools");
    await loadAjv();
    const loaded = await loadPluginTools(options.config.tools.plugin_dirs, {
      trustedKeys: keys,
      audit: await openLog(),
      jsonSchemaParameters,
    });
    for (const r of loaded.refused)
      options.stderr.write(`codetether: plugin refused: ${r.dir}: ${r.reason}\n`);
    return loaded.plugins;
  };

  const wiring: SecurityWiring = {
    async audit(entry) {
      await flushPending();
      await append(entry);
    },
    onDecision(event) {
      if (closed) return;
      const p = append({
        actor: "codetether",
        action: "permission.decision",
        resource: event.toolId,
        outcome: event.outcome === "allow" ? "allowed" : "denied",
        details: {
          rule_action: event.action,
          paths: event.paths,
          ...(event.reason ? { reason: event.reason } : {}),
        },
      }).catch((err: Error) => {
        options.stderr.write(`codetether: audit: ${err.message}\n`);
      });
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    secretStore() {
      store ??= import("@codetether/security").then(({ createSecretStore }) => {
        try {
          return createSecretStore(options.env, { configDir: options.configDir });
        } catch (err) {
          throw new RuntimeError((err as Error).message, "usage");
        }
      });
      return store;
    },
    secretStoreFailed: () => storeFailed,
    async secretLookup(providerId) {
      const secretStore = await wiring.secretStore();
      let secret: Awaited<ReturnType<SecretStore["get"]>>;
      try {
        secret = await secretStore.get(providerId);
      } catch (err) {
        // Reported once (not per provider); providers then fall back to config and environment keys.
        if (!storeFailed)
          options.stderr.write(
            `codetether: cannot read provider secrets from ${secretStore.kind} (${secretStore.location}): ${(err as Error).message}\n`,
          );
        storeFailed = true;
        return undefined;
      }
      options.secrets.addStoreEntry(secret);
      return secret;
    },
    async secureTools(registry) {
      await openLog();
      const pluginPolicies = new Map<string, Config["sandbox"]["default"]>();
      plugins ??= loadPlugins();
      for (const p of await plugins) {
        const existing = registry.get(p.tool.id);
        if (existing && existing !== p.tool && !WRAPPED.has(existing)) {
          options.stderr.write(
            `codetether: plugin refused: ${p.dir}: tool id "${p.tool.id}" is a built-in tool\n`,
          );
          await append({
            actor: "codetether",
            action: "plugin.refused",
            resource: p.dir,
            outcome: "denied",
            details: { reason: `tool id "${p.tool.id}" is a built-in tool` },
          });
          continue;
        }
        if (existing) continue;
        pluginPolicies.set(p.tool.id, p.sandbox);
        registry.register(p.tool);
      }
      for (const tool of registry.list()) registry.register(wrapTool(tool, pluginPolicies.get(tool.id)));
      // Built now, not at the first call: a bad policy fails the command up front and the limits notice
      // appears before any UI takes over the terminal.
      if (registry.get("bash")) await sandboxFor("bash");
      if (policy && verbose && !policyShown) {
        policyShown = true;
        const { describeShellEnvPolicy } = await import("@codetether/security");
        options.stderr.write(`codetether: command environment: ${describeShellEnvPolicy(policy)}\n`);
      }
    },
    async commandSandbox() {
      return launcherFor(await sandboxFor("bash"));
    },
    async close() {
      if (closed) return;
      await flushPending();
      closed = true;
      for (const dispose of disposers.splice(0)) {
        try {
          dispose();
        } catch {
          // swept later by the sandbox itself
        }
      }
      (await store?.catch(() => undefined))?.close();
      await (await log?.catch(() => undefined))?.close();
    },
  };
  return wiring;
}
