import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import type { z } from "zod";
import { configDir } from "../util/xdg-paths.js";
import { type Config, ConfigSchema } from "./config-schema.js";
import { envOverrides } from "./env-overrides.js";
import { isTable, leafEntries } from "./key-paths.js";

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

/** A configuration file or layer and what it set. */
export interface ConfigLayer {
  source: string;
  values: Json;
}

export interface LoadedConfig {
  config: Config;
  layers: ConfigLayer[];
  /** Dotted key → the source that set it last (`defaults` when nothing did). */
  sources: Map<string, string>;
  userFile: string;
  projectFile: string | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function userConfigFile(env: Env = process.env): string {
  return path.join(configDir(env), "config.toml");
}

/** The nearest `codetether.toml` from `cwd` upwards (stopping at the filesystem root). */
export function findProjectConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, "codetether.toml");
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(dir, ".git"))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readToml(file: string): Json | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError(`Cannot read config file ${file}: ${(err as Error).message}`);
  }
  try {
    return parseToml(text) as Json;
  } catch (err) {
    throw new ConfigError(`Config file ${file} is not valid TOML: ${(err as Error).message}`);
  }
}

/** Deep merge; permission rules concatenate so project rules come after (and override) user rules. */
export function mergeLayers(base: Json, over: Json, at = ""): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const dotted = at ? `${at}.${key}` : key;
    const prev = out[key];
    if (dotted === "permissions.rules" && Array.isArray(prev) && Array.isArray(value))
      out[key] = [...prev, ...value];
    else if (isTable(prev) && isTable(value)) out[key] = mergeLayers(prev, value, dotted);
    else out[key] = value;
  }
  return out;
}

/** Validates one layer so an error names the file that holds the bad key. */
function validateLayer(layer: ConfigLayer): void {
  const result = (ConfigSchema as z.ZodType).safeParse(layer.values);
  if (!result.success) throw new ConfigError(describeIssues(layer.source, result.error));
}

export function describeIssues(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const key = issue.path.join(".") || "(root)";
    return `  - ${key}: ${issue.message}`;
  });
  return `Invalid configuration in ${source}:\n${lines.join("\n")}\nFix the value(s) above (see \`codetether config --show\` for the effective config).`;
}

/** Loads user config, then project `codetether.toml`, then environment variables; later layers win. */
export function loadConfig(options: { cwd?: string; env?: Env; userFile?: string } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const userFile = options.userFile ?? userConfigFile(env);
  const projectFile = findProjectConfig(cwd);
  const layers: ConfigLayer[] = [];
  const user = readToml(userFile);
  if (user) layers.push({ source: userFile, values: user });
  const project = projectFile ? readToml(projectFile) : undefined;
  if (project && projectFile) layers.push({ source: projectFile, values: project });
  const fromEnv = envOverrides(env);
  if (Object.keys(fromEnv).length) layers.push({ source: "environment", values: fromEnv });

  let merged: Json = {};
  const sources = new Map<string, string>();
  for (const layer of layers) {
    validateLayer(layer);
    merged = mergeLayers(merged, layer.values);
    for (const [key] of leafEntries(layer.values)) sources.set(key, layer.source);
  }
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(describeIssues("the merged configuration", result.error));
  return { config: result.data, layers, sources, userFile, projectFile };
}
