import type { Config, Provider, ProviderConfig, ProviderRegistry } from "@codetether/core";
import { resolveProjectModule } from "./resolve-project-module.js";

type Env = Record<string, string | undefined>;

/** What a third-party provider module's `createProvider` (named or default export) receives. */
export interface ProviderModuleOptions {
  /** The `[providers.<id>]` table name: the provider must use it as its `id`. */
  id: string;
  /** That table, without `module`. */
  config: Omit<ProviderConfig, "module">;
  env: Env;
}

/** The contract of a third-party provider package. */
export type CreateProvider = (options: ProviderModuleOptions) => Provider | Promise<Provider>;

export interface LoadModuleProvidersOptions {
  config: Pick<Config, "providers">;
  /** Where package names are resolved from (the project directory). Default `process.cwd()`. */
  cwd?: string;
  env?: Env;
  /**
   * Whether `providers.<id>.module` may be loaded; a host refuses modules named by untrusted config (a cloned
   * repository's project file). Return a string to refuse with that reason. Default: all allowed.
   */
  trustModule?: (id: string) => true | string;
}

function isProvider(value: unknown): value is Provider {
  const p = value as Partial<Provider> | null;
  return (
    !!p && typeof p.id === "string" && typeof p.stream === "function" && typeof p.listModels === "function"
  );
}

/**
 * Imports the module of every `[providers.<id>] module = "..."` entry and registers the provider it builds.
 * Throws an actionable error naming the config key when a module is refused, missing or malformed.
 */
export async function loadModuleProviders(
  registry: ProviderRegistry,
  options: LoadModuleProvidersOptions,
): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  for (const [id, cfg] of Object.entries(options.config.providers ?? {})) {
    if (!cfg.module) continue;
    const key = `providers.${id}.module`;
    const trusted = options.trustModule?.(id) ?? true;
    if (trusted !== true)
      throw new Error(`${key} = ${JSON.stringify(cfg.module)} was not loaded: ${trusted}`);
    const url = resolveProjectModule(cfg.module, cwd);
    if (!url)
      throw new Error(
        `${key}: cannot find ${JSON.stringify(cfg.module)} from ${cwd}. Install it in the project (npm install ${cfg.module}) or give a path such as "./my-provider.mjs".`,
      );
    let mod: { createProvider?: unknown; default?: unknown };
    try {
      mod = (await import(url)) as typeof mod;
    } catch (err) {
      throw new Error(`${key}: importing ${JSON.stringify(cfg.module)} failed: ${(err as Error).message}`);
    }
    const create = (mod.createProvider ?? mod.default) as CreateProvider | undefined;
    if (typeof create !== "function")
      throw new Error(
        `${key}: ${JSON.stringify(cfg.module)} must export a function \`createProvider({ id, config, env })\` (named or default export).`,
      );
    const { module: _module, ...providerConfig } = cfg;
    const provider = await create({ id, config: providerConfig, env });
    if (!isProvider(provider))
      throw new Error(
        `${key}: createProvider of ${JSON.stringify(cfg.module)} must return a provider object with id, listModels() and stream().`,
      );
    if (provider.id !== id)
      throw new Error(
        `${key}: ${JSON.stringify(cfg.module)} built a provider with id "${provider.id}", but the table is [providers.${id}]: use the id passed to createProvider.`,
      );
    registry.register(provider);
  }
}
