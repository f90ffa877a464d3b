import path from "node:path";
import {
  type AutoApprove,
  ConfigError,
  dataDir,
  findGitRoot,
  type LoadedConfig,
  loadConfig,
  type ModelInfo,
  type Provider,
  type ProviderRegistry,
  RuleGate,
  SessionStore,
  type ToolRegistry,
} from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";

export interface RuntimeOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  autoApprove?: AutoApprove;
}

/** Everything a command needs, built from config + environment. Heavy packages load lazily here. */
export interface Runtime {
  loaded: LoadedConfig;
  cwd: string;
  workspaceRoot: string;
  store: SessionStore;
  gate: RuleGate;
  providers(): Promise<ProviderRegistry>;
  /** The built-in tool registry, gated by the permission rules. `interactive` keeps the `question` tool. */
  tools(options?: { interactive?: boolean; provider?: Provider; model?: string }): Promise<ToolRegistry>;
  resolveModel(
    requested?: string,
  ): Promise<{ provider: Provider; model: string; modelString: string; info?: ModelInfo }>;
}

export function loadRuntimeConfig(cwd: string, env: Record<string, string | undefined>): LoadedConfig {
  try {
    return loadConfig({ cwd, env });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, ExitCode.Usage);
    throw err;
  }
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const loaded = loadRuntimeConfig(options.cwd, options.env);
  const config = loaded.config;
  const workspaceRoot = findGitRoot(options.cwd) ?? options.cwd;
  const store = new SessionStore(path.join(dataDir(options.env), "sessions"));
  const gate = new RuleGate({
    rules: config.permissions.rules,
    autoApprove: options.autoApprove ?? config.permissions.auto_approve ?? "none",
  });
  let providers: Promise<ProviderRegistry> | undefined;
  let tools: Promise<ToolRegistry> | undefined;

  const runtime: Runtime = {
    loaded,
    cwd: options.cwd,
    workspaceRoot,
    store,
    gate,
    providers() {
      providers ??= (async () => {
        const { createProviderRegistry } = await import("@codetether/providers");
        return createProviderRegistry({ config, env: options.env });
      })();
      return providers;
    },
    tools(toolOptions = {}) {
      tools ??= (async () => {
        const { createToolRegistry } = await import("@codetether/tools");
        return createToolRegistry({
          gate,
          userConfigDir: path.dirname(loaded.userFile),
          task: {
            store,
            maxSteps: config.agent.max_steps,
            ...(toolOptions.provider ? { provider: toolOptions.provider } : {}),
            ...(toolOptions.model ? { model: toolOptions.model } : {}),
          },
          ...(toolOptions.interactive ? {} : { exclude: ["question"] }),
        });
      })();
      return tools;
    },
    async resolveModel(requested) {
      const registry = await runtime.providers();
      const { defaultModelFor, noProviderConfiguredMessage, lookupModel } = await import(
        "@codetether/providers"
      );
      const modelString = requested ?? defaultModelFor(registry, config);
      if (!modelString) throw new CliError(noProviderConfiguredMessage(loaded.userFile), ExitCode.Failure);
      let resolved: { provider: Provider; model: string };
      try {
        resolved = registry.resolve(modelString);
      } catch (err) {
        const known = registry.ids();
        const hint = known.length ? "" : `\n\n${noProviderConfiguredMessage(loaded.userFile)}`;
        throw new CliError(`${(err as Error).message}${hint}`, ExitCode.Failure);
      }
      const info = lookupModel(resolved.provider.id, resolved.model, config);
      return { ...resolved, modelString, ...(info ? { info } : {}) };
    },
  };
  return runtime;
}

export type { CliIO };
