import path from "node:path";
import { type DownloadProgress, dataDir } from "@codetether/core";
import { resolveModelPath } from "./model-path.js";
import { resolveToolRouterConfig, type ToolRouterConfigKeys } from "./router-config.js";

export interface PullRouterModelOptions {
  env: Record<string, string | undefined>;
  /** `[tool_router]` of config.toml. */
  config?: ToolRouterConfigKeys;
  /** Default `<data>/models`, where the router looks on first use too. */
  modelsDir?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Fetches the router's model now (`codetether models --pull --router`): the configured one, else the published
 * default. Returns the file path; a file fetched before is found without the network.
 */
export async function pullRouterModel(options: PullRouterModelOptions): Promise<string> {
  const settings = resolveToolRouterConfig({
    env: options.env,
    ...(options.config ? { config: options.config } : {}),
  });
  return resolveModelPath(settings.modelPath, {
    modelsDir: options.modelsDir ?? path.join(dataDir(options.env), "models"),
    ...(settings.offline ? { offline: true } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
