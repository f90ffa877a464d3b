import { lazySchema } from "@codetether/core";
import { z } from "zod";

/** Values from `[tool_router]` in config.toml (core `Config["tool_router"]`). */
export interface ToolRouterConfigKeys {
  enabled?: boolean | undefined;
  model_path?: string | undefined;
  arch?: string | undefined;
  device?: "auto" | "cpu" | "cuda" | "vulkan" | undefined;
  max_tokens?: number | undefined;
  temperature?: number | undefined;
  /** Context tokens per routing at most (default: the model's trained context). */
  context_size?: number | undefined;
  /** Most tools declared to the router in one routing (default 8). */
  max_tools?: number | undefined;
}

export type ToolRouterDevice = "auto" | "cpu" | "cuda" | "vulkan";

/** The router's resolved settings. */
export interface ToolRouterConfig {
  enabled: boolean;
  /** A `.gguf` path or an `hf:` URI (default {@link TOOL_ROUTER_DEFAULT_MODEL}, downloaded on first use). */
  modelPath: string;
  /** Expected `general.architecture` of the model (a hint: a mismatch is logged). */
  arch: string;
  device: ToolRouterDevice;
  maxTokens: number;
  temperature: number;
  /** Context tokens per routing at most; undefined = the model's trained context. */
  contextSize: number | undefined;
  /** Most tools declared in one routing (named and implied ones first, then a core set). */
  maxTools: number;
  /** CPU threads for the router model (`CODETETHER_TOOL_ROUTER_THREADS`); 0 = node-llama-cpp's choice. */
  threads: number;
  /** Never download the model (`CODETETHER_OFFLINE=1`, as for the local provider). */
  offline: boolean;
  /** Sampling seed (`CODETETHER_TOOL_ROUTER_SEED`), for reproducible routings; default random. */
  seed?: number;
}

/**
 * The published FunctionGemma GGUF the router uses when none is configured (~0.28 GB), fetched on first use
 * into the same models directory as the local provider's default (or ahead with `codetether models --pull
 * --router`).
 */
export const TOOL_ROUTER_DEFAULT_MODEL = "hf:unsloth/functiongemma-270m-it-GGUF:Q8_0";

export const TOOL_ROUTER_DEFAULTS = {
  enabled: false,
  modelPath: TOOL_ROUTER_DEFAULT_MODEL,
  arch: "gemma3",
  device: "auto",
  maxTokens: 1024,
  temperature: 0.1,
  maxTools: 8,
} as const;

export class ToolRouterConfigError extends Error {
  override name = "ToolRouterConfigError";
}

const ENV = {
  enabled: "CODETETHER_TOOL_ROUTER_ENABLED",
  modelPath: "CODETETHER_TOOL_ROUTER_MODEL_PATH",
  arch: "CODETETHER_TOOL_ROUTER_ARCH",
  device: "CODETETHER_TOOL_ROUTER_DEVICE",
  maxTokens: "CODETETHER_TOOL_ROUTER_MAX_TOKENS",
  temperature: "CODETETHER_TOOL_ROUTER_TEMPERATURE",
  contextSize: "CODETETHER_TOOL_ROUTER_CONTEXT_SIZE",
  maxTools: "CODETETHER_TOOL_ROUTER_MAX_TOOLS",
  threads: "CODETETHER_TOOL_ROUTER_THREADS",
  seed: "CODETETHER_TOOL_ROUTER_SEED",
} as const;

function parseBool(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ToolRouterConfigError(`Invalid ${name}="${value}": expected true/false, 1/0, yes/no or on/off.`);
}

function parseNumber(name: string, value: string, schema: z.ZodNumber, hint: string): number {
  const parsed = schema.safeParse(Number(value));
  if (value.trim() === "" || !parsed.success) {
    throw new ToolRouterConfigError(`Invalid ${name}="${value}": expected ${hint}.`);
  }
  return parsed.data;
}

const maxTokensSchema = lazySchema(() => z.number().int().positive().max(32_768));
const temperatureSchema = lazySchema(() => z.number().min(0).max(2));
const contextSizeSchema = lazySchema(() => z.number().int().min(256).max(1_048_576));
const threadsSchema = lazySchema(() => z.number().int().min(0).max(1024));
const seedSchema = lazySchema(() =>
  z
    .number()
    .int()
    .min(0)
    .max(2 ** 31),
);
const maxToolsSchema = lazySchema(() => z.number().int().min(1).max(256));
const deviceSchema = lazySchema(() => z.enum(["auto", "cpu", "cuda", "vulkan"]));

/**
 * Resolves the router settings: environment variables win over `[tool_router]` config keys, which win
 * over the defaults (disabled, the published FunctionGemma GGUF, arch gemma3, device auto, 1024 output tokens,
 * temperature 0.1, the model's trained context, 8 tools).
 * Throws {@link ToolRouterConfigError} naming the variable or key that is wrong.
 */
export function resolveToolRouterConfig(
  input: { env?: Record<string, string | undefined>; config?: ToolRouterConfigKeys } = {},
): ToolRouterConfig {
  const env = input.env ?? {};
  const config = input.config ?? {};
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const envEnabled = get(ENV.enabled);
  const envMaxTokens = get(ENV.maxTokens);
  const envTemperature = get(ENV.temperature);
  const envDevice = get(ENV.device);
  const envContextSize = get(ENV.contextSize);
  const envMaxTools = get(ENV.maxTools);
  const envThreads = get(ENV.threads);
  const envSeed = get(ENV.seed);
  let device: ToolRouterDevice = config.device ?? TOOL_ROUTER_DEFAULTS.device;
  if (envDevice !== undefined) {
    const parsed = deviceSchema.safeParse(envDevice.toLowerCase());
    if (!parsed.success) {
      throw new ToolRouterConfigError(
        `Invalid ${ENV.device}="${envDevice}": expected one of auto, cpu, cuda, vulkan.`,
      );
    }
    device = parsed.data;
  }
  const resolved: ToolRouterConfig = {
    enabled: envEnabled !== undefined ? parseBool(ENV.enabled, envEnabled) : (config.enabled ?? false),
    modelPath: get(ENV.modelPath) ?? config.model_path ?? TOOL_ROUTER_DEFAULTS.modelPath,
    arch: get(ENV.arch) ?? config.arch ?? TOOL_ROUTER_DEFAULTS.arch,
    device,
    maxTokens:
      envMaxTokens !== undefined
        ? parseNumber(ENV.maxTokens, envMaxTokens, maxTokensSchema, "a whole number of tokens, e.g. 512")
        : (config.max_tokens ?? TOOL_ROUTER_DEFAULTS.maxTokens),
    temperature:
      envTemperature !== undefined
        ? parseNumber(ENV.temperature, envTemperature, temperatureSchema, "a number from 0 to 2, e.g. 0.1")
        : (config.temperature ?? TOOL_ROUTER_DEFAULTS.temperature),
    contextSize:
      envContextSize !== undefined
        ? parseNumber(
            ENV.contextSize,
            envContextSize,
            contextSizeSchema,
            "a whole number of tokens ≥ 256, e.g. 8192",
          )
        : config.context_size,
    maxTools:
      envMaxTools !== undefined
        ? parseNumber(ENV.maxTools, envMaxTools, maxToolsSchema, "a whole number from 1 to 256, e.g. 8")
        : (config.max_tools ?? TOOL_ROUTER_DEFAULTS.maxTools),
    threads:
      envThreads !== undefined
        ? parseNumber(ENV.threads, envThreads, threadsSchema, "a whole number of threads, 0 for automatic")
        : 0,
    offline: /^(1|true|yes|on)$/i.test(get("CODETETHER_OFFLINE") ?? ""),
    ...(envSeed !== undefined
      ? { seed: parseNumber(ENV.seed, envSeed, seedSchema, "a whole number, e.g. 7") }
      : {}),
  };
  return resolved;
}
