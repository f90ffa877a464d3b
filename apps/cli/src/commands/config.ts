import fs from "node:fs";
import path from "node:path";
import {
  ConfigSchema,
  describeIssues,
  describeUnknownKeys,
  findUnknownKeys,
  leafEntries,
  setKeyPath,
  toJsonText,
  userConfigFile,
  writeFileAtomic,
} from "@codetether/core";
import { parse as parseToml, stringify as stringifyToml } from "smol-toml";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { loadRuntimeConfig } from "../wiring/runtime.js";

export interface ConfigOptions {
  show?: boolean;
  path?: boolean;
  set?: string[];
  unset?: string[];
  project?: boolean;
  json?: boolean;
}

type Json = Record<string, unknown>;
const SECRET_KEY = /(api_?key|token|secret|password|authorization)/i;

/** Masks secret-looking values: keeps only the last 4 characters. */
export function maskSecrets(value: unknown, key = ""): unknown {
  if (typeof value === "string" && SECRET_KEY.test(key))
    return value.length > 8 ? `****${value.slice(-4)}` : "****";
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}

/** Whether a config document holds a credential: a secret-named key, or any HTTP header or MCP env value. */
export function holdsSecret(doc: Json): boolean {
  return leafEntries(doc).some(([key]) => {
    const parts = key.split(".");
    return SECRET_KEY.test(parts.at(-1) ?? "") || parts.includes("headers") || parts.includes("env");
  });
}

/** Parses a CLI value as TOML when it is one (`true`, `42`, `["a"]`, `"x"`), else as a plain string. */
function parseValue(raw: string): unknown {
  try {
    return (parseToml(`v = ${raw}`) as Json).v;
  } catch {
    return raw;
  }
}

function readTomlFile(file: string): Json {
  if (!fs.existsSync(file)) return {};
  try {
    return parseToml(fs.readFileSync(file, "utf8")) as Json;
  } catch (err) {
    throw new CliError(
      `Config file ${file} is not valid TOML: ${(err as Error).message}. Fix it by hand first.`,
      ExitCode.Usage,
    );
  }
}

function unsetPath(obj: Json, keys: string[]): boolean {
  const parents: Json[] = [];
  let node: Json | undefined = obj;
  for (const key of keys.slice(0, -1)) {
    parents.push(node);
    const next: unknown = node[key];
    if (!next || typeof next !== "object") return false;
    node = next as Json;
  }
  const last = keys.at(-1) as string;
  if (!(last in node)) return false;
  delete node[last];
  // Drop tables left empty, innermost first.
  for (let i = keys.length - 2; i >= 0; i--) {
    const parent = parents[i] as Json;
    const child = parent[keys[i] as string] as Json;
    if (Object.keys(child).length === 0) delete parent[keys[i] as string];
  }
  return true;
}

/** `--set`/`--unset`: edits one file; only the resulting document is checked, so a broken file can be repaired. */
async function editConfig(options: ConfigOptions, io: CliIO): Promise<number> {
  const target = options.project ? path.join(io.cwd, "codetether.toml") : userConfigFile(io.env);
  const doc = readTomlFile(target);
  for (const pair of options.set ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0)
      throw new CliError(
        `--set expects key=value, got "${pair}" (e.g. --set ui.theme=dark).`,
        ExitCode.Usage,
      );
    setKeyPath(doc, pair.slice(0, eq).trim().split("."), parseValue(pair.slice(eq + 1).trim()));
  }
  for (const key of options.unset ?? []) {
    if (!unsetPath(doc, key.split("."))) io.stderr.write(`codetether: ${key} was not set in ${target}\n`);
  }
  const unknown = findUnknownKeys(doc);
  if (unknown.length)
    throw new CliError(`${describeUnknownKeys(target, unknown)}\nNothing was written.`, ExitCode.Usage);
  const check = ConfigSchema.safeParse(doc);
  if (!check.success)
    throw new CliError(`${describeIssues(target, check.error)}\nNothing was written.`, ExitCode.Usage);
  const secret = holdsSecret(doc);
  // A file holding a key is readable by its owner only (an existing mode is kept otherwise).
  await writeFileAtomic(target, stringifyToml(doc), secret ? { mode: 0o600 } : {});
  if (secret && options.project)
    io.stderr.write(
      `codetether: ${target} now holds a secret; keep it out of version control (or use codetether config --set-provider).\n`,
    );
  io.stdout.write(`Updated ${target}\n`);
  return ExitCode.Success;
}

/** `codetether config`: --show, --path, --set key=value, --unset key. */
export async function configCommand(options: ConfigOptions, io: CliIO): Promise<number> {
  if (options.set?.length || options.unset?.length) return editConfig(options, io);
  const loaded = loadRuntimeConfig(io.cwd, io.env);

  if (options.path) {
    const paths = { user: loaded.userFile, project: loaded.projectFile ?? null };
    io.stdout.write(
      options.json ? toJsonText(paths) : `user:    ${paths.user}\nproject: ${paths.project ?? "(none)"}\n`,
    );
    return ExitCode.Success;
  }

  // Default: --show.
  const masked = maskSecrets(loaded.config) as Json;
  if (options.json) {
    io.stdout.write(
      toJsonText(
        { config: masked, sources: Object.fromEntries(loaded.sources), projectTrust: loaded.projectTrust },
        2,
      ),
    );
    return ExitCode.Success;
  }
  for (const [key, value] of leafEntries(masked)) {
    const source = loaded.sources.get(key) ?? "default";
    io.stdout.write(`${key} = ${JSON.stringify(value)}  # ${source}\n`);
  }
  return ExitCode.Success;
}
