import path from "node:path";
import {
  type AutoApprove,
  allowGitHooksIn,
  ConfigError,
  dataDir,
  findGitRoot,
  type LoadedConfig,
  loadConfig,
  type ModelInfo,
  type Provider,
  type ProviderRegistry,
  type ResponseHook,
  RuleGate,
  type RuleGateOptions,
  SessionStore,
  type ToolRegistry,
} from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { warnIgnoredProjectKeys } from "../trust-warning.js";
import type { CodeIntegrations } from "./code-integrations.js";
import { createSecurityWiring, type SecurityWiring } from "./security.js";

export interface RuntimeOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  autoApprove?: AutoApprove;
  /** Interactive answer to `ask` rules (TUI, editors); without it `autoApprove` decides. */
  prompt?: RuleGateOptions["prompt"];
  /** Where security notices go (refused plugins, sandbox limits). Default: process.stderr. */
  stderr?: { write(text: string): unknown; isTTY?: boolean };
}

/** Everything a command needs, built from config + environment. Heavy packages load lazily here. */
export interface Runtime {
  loaded: LoadedConfig;
  cwd: string;
  workspaceRoot: string;
  store: SessionStore;
  gate: RuleGate;
  providers(): Promise<ProviderRegistry>;
  /**
   * The built-in tool registry, gated by the permission rules. `interactive` keeps the `question` tool. Tools that
   * call a model themselves (task, rlm, swarm, prd, ralph, RLM routing) use the calling agent's model at call time,
   * so one registry serves every model, including after a switch (the TUI's /model).
   */
  tools(options?: { interactive?: boolean }): Promise<ToolRegistry>;
  resolveModel(
    requested?: string,
  ): Promise<{ provider: Provider; model: string; modelString: string; info?: ModelInfo }>;
  /** When the embedded local model is in use: how to configure a remote provider instead. */
  setupHint(): Promise<string | undefined> | string | undefined;
  /** The tool-router hook when the router is enabled (config `[tool_router] enabled` or env). */
  toolRouterHook(info: ModelInfo | undefined): Promise<ResponseHook | undefined>;
  /** Audit log, plugin tools, sandbox, secret store (see wiring/security.ts). */
  security: SecurityWiring;
  /** Flushes the audit log and stops background work; call before exiting. */
  close(): Promise<void>;
}

export function loadRuntimeConfig(cwd: string, env: Record<string, string | undefined>): LoadedConfig {
  try {
    const loaded = loadConfig({ cwd, env });
    warnIgnoredProjectKeys(loaded);
    return loaded;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, ExitCode.Usage);
    throw err;
  }
}

/**
 * `git.run_hooks_in` from the user's own config file only: a project's `codetether.toml` lives in the repository a
 * model may have written to, so it must not be able to re-enable the hooks that model planted.
 */
function userHookFolders(loaded: LoadedConfig): string[] {
  const user = loaded.layers.find((layer) => layer.source === loaded.userFile)?.values as
    | { git?: { run_hooks_in?: unknown } }
    | undefined;
  const folders = user?.git?.run_hooks_in;
  return Array.isArray(folders) ? folders.filter((f): f is string => typeof f === "string") : [];
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const loaded = loadRuntimeConfig(options.cwd, options.env);
  const config = loaded.config;
  allowGitHooksIn(userHookFolders(loaded));
  const workspaceRoot = findGitRoot(options.cwd) ?? options.cwd;
  const store = new SessionStore(path.join(dataDir(options.env), "sessions"));
  const security = createSecurityWiring({
    env: options.env,
    config,
    configDir: path.dirname(loaded.userFile),
    auditDir: path.join(dataDir(options.env), "audit"),
    workspaceRoot,
    stderr: options.stderr ?? process.stderr,
  });
  const gate = new RuleGate({
    rules: config.permissions.rules,
    extraRoots: config.permissions.allowed_paths,
    autoApprove: options.autoApprove ?? config.permissions.auto_approve ?? "none",
    ...(options.prompt ? { prompt: options.prompt } : {}),
    onDecision: (event) => security.onDecision(event),
  });
  let providers: Promise<ProviderRegistry> | undefined;
  let integrations: CodeIntegrations | undefined;
  /** True once `run` fell back to the embedded local model; its errors then also explain remote providers. */
  let embeddedDefault = false;
  let tools: Promise<ToolRegistry> | undefined;

  const runtime: Runtime = {
    loaded,
    cwd: options.cwd,
    workspaceRoot,
    store,
    gate,
    security,
    close: async () => {
      await integrations?.dispose();
      await security.close();
    },
    providers() {
      providers ??= (async () => {
        const { createProviderRegistry } = await import("@codetether/providers");
        await security.secretStore(); // a half-configured Vault (no VAULT_TOKEN) is a usage error
        // Config mistakes (bad headers, a missing provider module) are user errors, not crashes.
        return createProviderRegistry({
          config,
          env: options.env,
          cwd: options.cwd,
          secrets: (id) => security.secretLookup(id),
          // A provider module runs code: only user config or the environment may name one, never a cloned
          // repository's codetether.toml.
          trustModule: (id) =>
            loaded.projectFile && loaded.sources.get(`providers.${id}.module`) === loaded.projectFile
              ? `it is set in the project file ${loaded.projectFile}, which may come from a repository you cloned. Set it in your user config instead: codetether config --set providers.${id}.module=...`
              : true,
        }).catch((err: Error) => {
          // Bad headers, a provider module that is missing or refused: configuration, not a provider failure.
          throw new CliError(err.message, ExitCode.Usage);
        });
      })();
      return providers;
    },
    tools(toolOptions = {}) {
      tools ??= (async () => {
        const { createToolRegistry } = await import("@codetether/tools");
        const { createCodeIntegrations } = await import("./code-integrations.js");
        integrations = await createCodeIntegrations(config, options.cwd, {
          stderr: options.stderr ?? process.stderr,
        });
        const registry = createToolRegistry({
          gate,
          lsp: integrations.lsp,
          network: config.network,
          userConfigDir: path.dirname(loaded.userFile),
          task: { store, maxSteps: config.agent.max_steps },
          ...(toolOptions.interactive ? {} : { exclude: ["question"] }),
        });
        await integrations.addMcpTools(registry);
        await security.secureTools(registry);
        const { addOrchestrationTools } = await import("./orchestration-tools.js");
        await addOrchestrationTools(registry, config);
        return registry;
      })();
      return tools;
    },
    async resolveModel(requested) {
      const registry = await runtime.providers();
      const { defaultModelFor, noProviderConfiguredMessage, lookupModel } = await import(
        "@codetether/providers"
      );
      let modelString = requested ?? defaultModelFor(registry, config);
      if (!modelString) {
        // Nothing configured: the embedded default is the local llama.cpp model (downloaded on first use;
        // offline it fails fast and says where to put the file or which key to set instead).
        const { createLocalProvider, LOCAL_DEFAULT_MODEL } = await import("@codetether/providers");
        if (!registry.has("local")) registry.register(createLocalProvider({ env: options.env }));
        modelString = `local/${options.env.CODETETHER_LOCAL_MODEL || LOCAL_DEFAULT_MODEL}`;
        embeddedDefault = true;
      }
      let resolved: { provider: Provider; model: string };
      try {
        resolved = registry.resolve(modelString);
      } catch (err) {
        const known = registry.ids();
        const { providerKeyHint } = await import("@codetether/providers");
        const keyHint = providerKeyHint(modelString.split("/")[0] ?? "");
        const hint = known.length
          ? keyHint
            ? ` ${keyHint}`
            : ""
          : `\n\n${noProviderConfiguredMessage(loaded.userFile)}`;
        // An unknown provider or one without a key is a usage/configuration error (exit 2), unless its key could
        // not be read because the secret store is down (a failure, exit 1).
        const code = security.secretStoreFailed() ? ExitCode.Failure : ExitCode.Usage;
        throw new CliError(`${(err as Error).message}${hint}`, code);
      }
      const info = lookupModel(resolved.provider.id, resolved.model, config);
      return { ...resolved, modelString, ...(info ? { info } : {}) };
    },
    setupHint() {
      return embeddedDefault ? noProviderHint(loaded.userFile) : undefined;
    },
    async toolRouterHook(info) {
      // Off unless enabled (config `[tool_router] enabled` or CODETETHER_TOOL_ROUTER_ENABLED); even then the
      // model file loads only when a text-only answer actually needs routing. For a text-only model the hook is
      // there either way, so `--json` reports that its answers were not routed and why.
      if (!config.tool_router.enabled && info?.supportsTools !== false) return undefined;
      const { createToolRouterHook } = await import("@codetether/tool-router");
      return createToolRouterHook({
        env: options.env,
        config: config.tool_router,
        ...(info ? { modelInfo: info } : {}),
      });
    },
  };
  return runtime;
}

async function noProviderHint(configFile: string): Promise<string> {
  const { noProviderConfiguredMessage } = await import("@codetether/providers");
  return noProviderConfiguredMessage(configFile);
}

/** A resolved model in the shape the packages take (`modelInfo` only when known). */
export function modelChoice(resolved: { provider: Provider; model: string; info?: ModelInfo }): {
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
} {
  return {
    provider: resolved.provider,
    model: resolved.model,
    ...(resolved.info ? { modelInfo: resolved.info } : {}),
  };
}

/** Model + tools for commands whose logic takes `resolveModel` and a tool registry (swarm, ralph). */
export async function modelDeps(runtime: Runtime, requested: string | undefined) {
  const resolved = await runtime.resolveModel(requested);
  const tools = await runtime.tools();
  const value = modelChoice(resolved);
  return { tools, resolveModel: async (_model?: string) => value };
}

export type { CliIO };
