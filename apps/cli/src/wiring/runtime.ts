// The CLI takes every agent, tool registry and permission gate from @codetether/runtime (one security runtime for
// every entry point); this module only adds the CLI's notice for ignored project settings and names what the
// commands use. Runtime errors carry their exit code (`RuntimeError.exitCode`), which main.ts honours.
import type { LoadedConfig } from "@codetether/core";
import {
  createRuntime as createSecurityRuntime,
  loadRuntimeConfig as loadConfigOnce,
  type Runtime,
  type RuntimeOptions,
} from "@codetether/runtime";
import { warnIgnoredProjectKeys } from "../trust-warning.js";

export {
  agentSettings,
  modelChoice,
  modelDeps,
  type Runtime,
  type RuntimeOptions,
} from "@codetether/runtime";
export type { CliIO } from "../io.js";

/** Config (user file, trusted project file, environment); warns once about project keys an untrusted folder may not set. */
export function loadRuntimeConfig(cwd: string, env: Record<string, string | undefined>): LoadedConfig {
  const loaded = loadConfigOnce(cwd, env);
  warnIgnoredProjectKeys(loaded);
  return loaded;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  return createSecurityRuntime({
    ...options,
    loaded: options.loaded ?? loadRuntimeConfig(options.cwd, options.env),
  });
}
