import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import type { z } from "zod";
import { configDir } from "../util/xdg-paths.js";
import { defaultConfig } from "./config-defaults.js";
import { ConfigError } from "./config-error.js";
import { type Config, ConfigSchema } from "./config-schema.js";
import { envOverrides } from "./env-overrides.js";
import { isTable, leafEntries, setKeyPath } from "./key-paths.js";
import { filterUntrustedProject } from "./project-trust-policy.js";
import { type ProjectTrust, resolveProjectTrust } from "./project-trust-resolve.js";
import { describeUnknownKeys, findUnknownKeys } from "./unknown-keys.js";

export { ConfigError, type ProjectTrust, resolveProjectTrust };

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
  projectTrust: ProjectTrust;
}

export interface LoadConfigOptions {
  cwd?: string;
  env?: Env;
  userFile?: string;
  /**
   * Overrides the stored decision: `false` for front ends that must never trust the workspace implicitly
   * (`serve`, `worker`), `true` to trust it. Default: `CODETETHER_TRUST_PROJECT` (`1`/`0`), else the trust store.
   */
  trustProject?: boolean;
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

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigError(`Cannot read config file ${file}: ${(err as Error).message}`);
  }
}

function parseTomlFile(file: string, text: string): Json {
  try {
    return parseToml(text) as Json;
  } catch (err) {
    throw new ConfigError(`Config file ${file} is not valid TOML: ${(err as Error).message}`);
  }
}

/**
 * Deep merge; permission rules concatenate so project rules come after (and override) user rules, and hook lists
 * concatenate so a (trusted) project's hooks run after the user's own, as Claude Code runs every matching hook.
 */
export function mergeLayers(base: Json, over: Json, at = ""): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const dotted = at ? `${at}.${key}` : key;
    const prev = out[key];
    if (
      (dotted === "permissions.rules" || /^hooks\.[^.]+$/.test(dotted)) &&
      Array.isArray(prev) &&
      Array.isArray(value)
    )
      out[key] = [...prev, ...value];
    else if (isTable(prev) && isTable(value)) out[key] = mergeLayers(prev, value, dotted);
    else out[key] = value;
  }
  return out;
}

/** Validates one layer so an error names the file that holds the bad key; unknown keys are errors too. */
function validateLayer(layer: ConfigLayer): void {
  const unknown = findUnknownKeys(layer.values);
  if (unknown.length) throw new ConfigError(describeUnknownKeys(layer.source, unknown));
  const result = (ConfigSchema as z.ZodType).safeParse(layer.values);
  if (!result.success) throw new ConfigError(describeIssues(layer.source, result.error));
}

export function describeIssues(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const key = issue.path.join(".") || "(root)";
    // A bad record key (`set = { "1X" = … }`): zod's own text is only "Invalid key in record"; say what is expected.
    const nested = issue.code === "invalid_key" ? issue.issues[0]?.message : undefined;
    return `  - ${key}: ${nested ? `invalid name: ${nested}` : issue.message}`;
  });
  return `Invalid configuration in ${source}:\n${lines.join("\n")}\nFix the value(s) above (see \`codetether config --show\` for the effective config).`;
}

/**
 * Loads user config, then project `codetether.toml`, then environment variables; later layers win. An untrusted
 * project's layer keeps only what tightens security (see `project-trust-policy.ts`); `projectTrust.ignored` names
 * the rest so the front end can warn once.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const userFile = options.userFile ?? userConfigFile(env);
  const projectFile = findProjectConfig(cwd);
  const layers: ConfigLayer[] = [];
  const userText = readText(userFile);
  const user = userText === undefined ? undefined : parseTomlFile(userFile, userText);
  if (user) {
    layers.push({ source: userFile, values: user });
    validateLayer(layers[0] as ConfigLayer);
  }
  const projectText = projectFile ? readText(projectFile) : undefined;
  // The project file's content is checked against what `codetether trust` approved (a hash of the text read here).
  const trust = resolveProjectTrust(cwd, env, projectFile, options.trustProject, projectText);
  let ignored: ProjectTrust["ignored"] = [];
  let askRules: unknown[] = [];
  const project =
    projectFile && projectText !== undefined ? parseTomlFile(projectFile, projectText) : undefined;
  if (project && projectFile) {
    validateLayer({ source: projectFile, values: project });
    if (trust.trusted) layers.push({ source: projectFile, values: project });
    else {
      const base = ConfigSchema.parse(user ?? {});
      const filtered = filterUntrustedProject(project, base);
      ignored = filtered.ignored;
      askRules = filtered.askRules;
      layers.push({ source: projectFile, values: filtered.values });
    }
  }
  const fromEnv = envOverrides(env);
  if (Object.keys(fromEnv).length) layers.push({ source: "environment", values: fromEnv });

  let merged: Json = {};
  const sources = new Map<string, string>();
  for (const layer of layers) {
    if (layer.source === "environment") validateLayer(layer);
    merged = mergeLayers(merged, layer.values);
    for (const [key] of leafEntries(layer.values)) sources.set(key, layer.source);
  }
  if (askRules.length) {
    // Before the user's rules (the last match wins): they only apply where the user's rules say nothing.
    const rules = (merged.permissions as Json | undefined)?.rules;
    setKeyPath(merged, ["permissions", "rules"], [...askRules, ...(Array.isArray(rules) ? rules : [])]);
    if (!sources.has("permissions.rules") && projectFile) sources.set("permissions.rules", projectFile);
  }
  // Nothing set anywhere: the defaults, without building the schema that would only tell us those.
  const result = layers.length
    ? ConfigSchema.safeParse(merged)
    : { success: true as const, data: defaultConfig() };
  if (!result.success) throw new ConfigError(describeIssues("the merged configuration", result.error));
  return { config: result.data, layers, sources, userFile, projectFile, projectTrust: { ...trust, ignored } };
}
