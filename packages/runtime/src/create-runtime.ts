import path from "node:path";
import {
  type AgentHooks,
  type AgentOptions,
  type AutoApprove,
  allowGitHooksIn,
  dataDir as defaultDataDir,
  findGitRoot,
  type LoadedConfig,
  type ModelInfo,
  type Provider,
  type ProviderRegistry,
  type ResponseHook,
  RuleGate,
  type RuleGateOptions,
  type SessionStore,
  type Tool,
  type ToolRegistry,
} from "@codetether/core";
import type { CodeIntegrations } from "./code-integrations.js";
import { createShellHooks } from "./hooks/shell-hooks.js";
import { KnownSecrets } from "./known-secrets.js";
import { loadRuntimeConfig } from "./load-config.js";
import { RedactingAgent } from "./redacting-agent.js";
import { RedactingSessionStore } from "./redacting-session-store.js";
import { dropRelativePathEntries } from "./relative-path-entries.js";
import { RuntimeError } from "./runtime-error.js";
import { createSecurityWiring, type SecurityWiring } from "./security-wiring.js";

type Env = Record<string, string | undefined>;

export interface RuntimeOptions {
  cwd: string;
  env: Env;
  /** Config already loaded; default: the user file, the project's `codetether.toml` and the environment. */
  loaded?: LoadedConfig;
  /** Data directory (sessions, audit); default: `CODETETHER_DATA_DIR` or the XDG data dir. */
  dataDir?: string;
  /** How `ask` rules are answered without a prompt; default: config `[permissions] auto_approve`, else "none". */
  autoApprove?: AutoApprove;
  /** Interactive answer to `ask` rules (TUI, editors); without it `autoApprove` decides. */
  prompt?: RuleGateOptions["prompt"];
  /** Where security notices go (refused plugins, sandbox limits). Default: process.stderr. */
  stderr?: { write(text: string): unknown; isTTY?: boolean };
}

/** Options for one more tool registry (an ACP session, an A2A task) sharing the runtime's audit log and sandbox. */
export interface ToolSetOptions {
  /** The permission gate; default: a new gate with the configured rules ({@link Runtime.createGate}). */
  gate?: RuleGate;
  /** Keep the `question` tool (a host that can answer it). */
  interactive?: boolean;
  /** Host tools (an editor's file system and terminal, its MCP servers); a tool with a built-in's id replaces it. */
  extraTools?: Tool[];
  /** Leave out the tools that drive other packages (rlm, swarm, prd, ralph) and RLM routing. */
  orchestration?: boolean;
}

/**
 * Config + environment + working directory turned into everything an agent needs, with the security boundary in
 * place: permission gate with the configured rules, sandbox, audit log, secret redaction, the tools (built-ins,
 * plugins, MCP, orchestration) and the model. Every entry point takes its agent from here. Heavy packages load
 * lazily.
 */
export interface Runtime {
  loaded: LoadedConfig;
  cwd: string;
  workspaceRoot: string;
  /** Sessions; every stored session is masked of known secrets. */
  store: SessionStore;
  /** The gate of {@link Runtime.tools}. */
  gate: RuleGate;
  /** Secret values masked in everything the agent records (add the server token, etc.). */
  secrets: KnownSecrets;
  providers(): Promise<ProviderRegistry>;
  /**
   * The tool registry, gated by the permission rules. `interactive` keeps the `question` tool. Tools that call a
   * model themselves (task, rlm, swarm, prd, ralph, RLM routing) use the calling agent's model at call time, so one
   * registry serves every model, including after a switch (the TUI's /model).
   */
  tools(options?: { interactive?: boolean }): Promise<ToolRegistry>;
  /** A permission gate with the configured rules, auditing every decision. */
  createGate(options?: { prompt?: RuleGateOptions["prompt"]; autoApprove?: AutoApprove }): RuleGate;
  /** Another registry (own gate) secured like {@link Runtime.tools}: audited, sandboxed, output masked. */
  createTools(options?: ToolSetOptions): Promise<ToolRegistry>;
  /** An agent whose events are masked of known secrets, with the configured hooks (unless `options.hooks` is set). */
  createAgent(options: AgentOptions): RedactingAgent;
  /** The configured `[[hooks.*]]` as the agent's hooks; undefined when none is configured. */
  hooks: AgentHooks | undefined;
  resolveModel(
    requested?: string,
  ): Promise<{ provider: Provider; model: string; modelString: string; info?: ModelInfo }>;
  /** When the embedded local model is in use: how to configure a remote provider instead. */
  setupHint(): Promise<string | undefined> | string | undefined;
  /** The tool-router hook when the router is enabled (config `[tool_router] enabled` or env). */
  toolRouterHook(info: ModelInfo | undefined): Promise<ResponseHook | undefined>;
  /** Audit log, plugin tools, sandbox, secret store (see security-wiring.ts). */
  security: SecurityWiring;
  /** Flushes the audit log and stops background work (language/MCP servers, Vault renewal); call before exiting. */
  close(): Promise<void>;
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
  const loaded = options.loaded ?? loadRuntimeConfig(options.cwd, options.env);
  const config = loaded.config;
  allowGitHooksIn(userHookFolders(loaded));
  const data = options.dataDir ?? defaultDataDir(options.env);
  const stderr = options.stderr ?? process.stderr;
  const workspaceRoot = findGitRoot(options.cwd) ?? options.cwd;
  const secrets = new KnownSecrets({
    env: options.env,
    configKeys: Object.values(config.providers).map((p) => p.api_key),
  });
  const store = new RedactingSessionStore(path.join(data, "sessions"), secrets);
  const security = createSecurityWiring({
    env: options.env,
    config,
    configDir: path.dirname(loaded.userFile),
    auditDir: path.join(data, "audit"),
    workspaceRoot,
    stderr,
    secrets,
  });
  // While bash is sandboxed, the file tools must not change what the sandbox mounts read-only either.
  const sandboxOn =
    /^(1|true|yes|on)$/i.test(options.env.CODETETHER_SANDBOX ?? "") ||
    config.sandbox.enabled ||
    Object.hasOwn(config.sandbox.tools, "bash");
  if (sandboxOn) {
    // Programs codetether starts outside the sandbox (git, hooks, rg) must not be found in the workspace.
    const dropped = dropRelativePathEntries(options.env, process.env);
    if (dropped.length)
      stderr.write(
        `codetether: ignoring relative PATH entries ${dropped.join(", ")} while the sandbox is on (they resolve in the workspace, where the agent writes); use absolute paths\n`,
      );
  }
  const createGate: Runtime["createGate"] = (gateOptions = {}) => {
    const prompt = gateOptions.prompt ?? options.prompt;
    return new RuleGate({
      rules: config.permissions.rules,
      extraRoots: config.permissions.allowed_paths,
      protectProjectPaths: sandboxOn,
      autoApprove:
        gateOptions.autoApprove ?? options.autoApprove ?? config.permissions.auto_approve ?? "none",
      ...(prompt ? { prompt } : {}),
      onDecision: (event) => security.onDecision(event),
    });
  };
  const gate = createGate();
  let providers: Promise<ProviderRegistry> | undefined;
  let integrations: Promise<CodeIntegrations> | undefined;
  /** True once `run` fell back to the embedded local model; its errors then also explain remote providers. */
  let embeddedDefault = false;
  let tools: Promise<ToolRegistry> | undefined;
  // User-config hooks are the user's own commands; a project's only reach here from a trusted folder (the config
  // loader drops an untrusted project's [hooks] and names them in its warning).
  const hooks = createShellHooks({
    hooks: config.hooks,
    env: options.env,
    projectDir: workspaceRoot,
    audit: (entry) => security.audit(entry),
    mask: async (text) => (await import("@codetether/security")).redactKnownSecrets(text, secrets.list),
  });

  // Per file: a custom agent keeps its `model` only with the content the user approved (`codetether trust`).
  const projectTrusted = loaded.projectTrust.trustsFile;
  const resolveAgentModel = async (model: string) => modelChoice(await runtime.resolveModel(model));

  const runtime: Runtime = {
    hooks,
    loaded,
    cwd: options.cwd,
    workspaceRoot,
    store,
    gate,
    secrets,
    security,
    createGate,
    close: async () => {
      await (await integrations?.catch(() => undefined))?.dispose();
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
          throw new RuntimeError(err.message, "usage");
        });
      })();
      return providers;
    },
    tools(toolOptions = {}) {
      tools ??= runtime.createTools({ gate, interactive: toolOptions.interactive ?? false });
      return tools;
    },
    async createTools(set = {}) {
      const { createToolRegistry } = await import("@codetether/tools");
      integrations ??= import("./code-integrations.js").then(({ createCodeIntegrations }) =>
        createCodeIntegrations(config, options.cwd, { stderr }),
      );
      const code = await integrations;
      const registry = createToolRegistry({
        gate: set.gate ?? createGate(),
        lsp: code.lsp,
        network: config.network,
        userConfigDir: path.dirname(loaded.userFile),
        // A custom agent's `model` (task/swarm `agent`) is resolved like `--model`: configured providers only.
        task: { store, maxSteps: config.agent.max_steps, resolveModel: resolveAgentModel, projectTrusted },
        ...(set.extraTools?.length ? { extraTools: set.extraTools } : {}),
        ...(set.interactive ? {} : { exclude: ["question"] }),
      });
      await code.addMcpTools(registry);
      await security.secureTools(registry);
      if (set.orchestration !== false) {
        const { addOrchestrationTools } = await import("./orchestration-tools.js");
        await addOrchestrationTools(
          registry,
          config,
          { resolveModel: resolveAgentModel, projectTrusted },
          (r) => security.secureTools(r),
        );
      }
      return registry;
    },
    createAgent(agentOptions) {
      return new RedactingAgent(
        {
          ...agentOptions,
          store: agentOptions.store ?? store,
          ...(hooks && !agentOptions.hooks ? { hooks } : {}),
        },
        secrets,
      );
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
        throw new RuntimeError(
          `${(err as Error).message}${hint}`,
          security.secretStoreFailed() ? "failure" : "usage",
        );
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
