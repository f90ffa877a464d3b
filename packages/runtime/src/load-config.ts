import { ConfigError, type LoadedConfig, loadConfig } from "@codetether/core";
import { RuntimeError } from "./runtime-error.js";

/**
 * The one place the runtime loads config (user file, project file, environment). Config mistakes are usage errors
 * (exit code 2) that name the file and key.
 */
export function loadRuntimeConfig(cwd: string, env: Record<string, string | undefined>): LoadedConfig {
  try {
    return loadConfig({ cwd, env });
  } catch (err) {
    if (err instanceof ConfigError) throw new RuntimeError(err.message, "usage");
    throw err;
  }
}
