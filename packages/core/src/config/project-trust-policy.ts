import { isDeepStrictEqual } from "node:util";
import type { PermissionRule } from "../permission/permission-rule.js";
import type { Config } from "./config-schema.js";
import { isTable, setKeyPath } from "./key-paths.js";

// What an untrusted project's codetether.toml may set. Think of the file as written by an attacker who shipped the
// repository (or by a command the agent ran in it): every key it keeps may only make codetether stricter than the
// user's own config. Anything not listed here is ignored, so a key added to the schema later is safe by default.

type Json = Record<string, unknown>;

/** A project key that was not applied, and why (shown in the warning). */
export interface IgnoredKey {
  key: string;
  reason: string;
}

export interface UntrustedProjectLayer {
  /** The keys that only tighten, in layer form (deny rules stay in `permissions.rules`, appended after the user's). */
  values: Json;
  /** `ask` rules, to go before the user's rules: they apply only where the user's rules say nothing. */
  askRules: PermissionRule[];
  ignored: IgnoredKey[];
}

/** true keeps the project's value; `{ apply }` keeps a value derived from it (a list merged into yours). */
type Verdict = true | string | { apply: unknown };
type Check = (value: unknown, base: unknown) => Verdict;

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20 };
for (const [p, e] of [
  ["m", 20],
  ["g", 30],
  ["t", 40],
] as const)
  for (const u of [p, `${p}b`, `${p}ib`]) SIZE_UNITS[u] = 2 ** e;

/** Bytes of a size such as `512M` (the sandbox's binary units), or undefined when it is not one. */
function sizeBytes(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[(m[2] ?? "").toLowerCase()] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : undefined;
}

const shown = (v: unknown) => (v === undefined ? "unset" : JSON.stringify(v));

const never =
  (why: string): Check =>
  () =>
    why;
const neutral: Check = () => true;
/** Numbers may only go down; an unset base is unlimited. */
const lower: Check = (v, base) =>
  typeof v === "number" && (typeof base !== "number" || v <= base)
    ? true
    : `raises a limit (yours: ${shown(base)})`;
const lowerSize: Check = (v, base) => {
  const bytes = sizeBytes(v);
  const limit = sizeBytes(base);
  if (bytes === undefined) return "is not a size";
  return limit === undefined || bytes <= limit ? true : `raises a limit (yours: ${shown(base)})`;
};
/** Enums ordered strictest first: the value may not be later in the list than the base. */
const notLooserThan =
  (order: readonly string[], unset: string): Check =>
  (v, base) =>
    order.indexOf(String(v)) >= 0 && order.indexOf(String(v)) <= order.indexOf(String(base ?? unset))
      ? true
      : `is looser than yours (${shown(base ?? unset)})`;
const onlyTrue =
  (why: string): Check =>
  (v) =>
    v === true ? true : why;
const onlyFalse =
  (why: string): Check =>
  (v) =>
    v === false ? true : why;
/** Lists that grant something (paths, hosts) may only shrink to a subset of the user's own list. */
const subset: Check = (v, base) =>
  Array.isArray(v) && v.every((x) => Array.isArray(base) && base.some((b) => isDeepStrictEqual(b, x)))
    ? true
    : "grants more than your config";

const SHELL_ENV_ORDER = ["none", "core", "all"] as const;
/** Patterns of variables to drop: the project's are added to yours (dropping one of yours would loosen). */
const moreExcludes: Check = (v, base) =>
  Array.isArray(v) && v.every((x) => typeof x === "string")
    ? { apply: [...new Set([...(Array.isArray(base) ? base : []), ...v])] }
    : "is not a list of variable patterns";
/** A keep-only list may only narrow yours: any list when you keep everything, else a subset of your patterns. */
const narrowerIncludes: Check = (v, base) => {
  if (!Array.isArray(v) || v.length === 0) return "keeps every variable (yours keeps fewer)";
  if (!Array.isArray(base) || base.length === 0) return true;
  return v.every((x) => base.includes(x))
    ? true
    : `keeps variables your include_only drops (yours: ${shown(base)})`;
};

const LEAF_POLICY: Array<[pattern: string, check: Check]> = [
  ["default_model", never("chooses which provider receives your code and key")],
  ["agent.max_steps", lower],
  ["agent.request_timeout_ms", lower],
  ["agent.max_retries", lower],
  ["agent.system_prompt", never("replaces the system prompt")],
  [
    "providers.**",
    never("a provider's URL, headers, key or module can send your key and code elsewhere or run code"),
  ],
  ["permissions.auto_approve", notLooserThan(["none", "safe", "all"], "none")],
  ["permissions.allowed_paths", subset],
  ["session.auto_compact", neutral],
  ["session.compact_threshold", neutral],
  ["tool_router.enabled", onlyFalse("enables a local model named by the project")],
  ["tool_router.**", never("loads a model file named by the project")],
  ["rlm.threshold_chars", neutral],
  ["rlm.max_depth", lower],
  ["rlm.max_iterations", lower],
  // Switching off one of the user's own servers; a server the user does not have is not the project's to declare.
  ["mcp.servers.*.enabled", (v, base) => (v === false && base !== undefined ? true : "starts an MCP server")],
  ["mcp.**", never("starts a program or connects to a server with your permissions")],
  ["sandbox.enabled", onlyTrue("turns the sandbox off")],
  ["sandbox.default.max_memory", lowerSize],
  ["sandbox.default.max_file_size", lowerSize],
  ["sandbox.default.max_cpu_seconds", lower],
  ["sandbox.default.max_processes", lower],
  ["sandbox.default.network", notLooserThan(["deny", "allow"], "deny")],
  ["sandbox.default.network_allow", subset],
  ["sandbox.default.unix_sockets", notLooserThan(["deny", "allow"], "deny")],
  ["sandbox.default.writable_paths", subset],
  ["sandbox.default.readable_paths", subset],
  ["sandbox.tools.*.max_memory", lowerSize],
  ["sandbox.tools.*.max_file_size", lowerSize],
  ["sandbox.tools.*.max_cpu_seconds", lower],
  ["sandbox.tools.*.max_processes", lower],
  ["sandbox.tools.*.network", notLooserThan(["deny", "allow"], "deny")],
  ["sandbox.tools.*.network_allow", subset],
  ["sandbox.tools.*.unix_sockets", notLooserThan(["deny", "allow"], "deny")],
  ["sandbox.tools.*.writable_paths", subset],
  ["sandbox.tools.*.readable_paths", subset],
  ["git.**", never("runs repository git hooks outside the sandbox")],
  ["network.allow", subset],
  ["ui.theme", neutral],
  ["server.port", neutral],
  ["server.**", never("changes where the server listens")],
  ["telemetry.crash_reporting", onlyFalse("sends crash reports")],
  ["telemetry.**", never("sends crash reports to a server named by the project")],
  ["tools.**", never("loads plugin code or trusts plugin signing keys")],
  ["hooks.**", never("runs shell commands on your machine, outside the sandbox")],
  ["shell_environment_policy.inherit", notLooserThan(SHELL_ENV_ORDER, "all")],
  [
    "shell_environment_policy.ignore_default_excludes",
    onlyFalse("keeps variables named like secrets (*KEY*, *SECRET*, *TOKEN*) in the agent's commands"),
  ],
  ["shell_environment_policy.exclude", moreExcludes],
  ["shell_environment_policy.include_only", narrowerIncludes],
  [
    "shell_environment_policy.**",
    never("sets variables of the commands the agent runs (PATH, LD_PRELOAD, credentials)"),
  ],
];

function matches(pattern: string, segs: string[]): boolean {
  const parts = pattern.split(".");
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === "**") return segs.length > i;
    if (i >= segs.length || (parts[i] !== "*" && parts[i] !== segs[i])) return false;
  }
  return parts.length === segs.length;
}

function getPath(table: unknown, segs: string[]): unknown {
  let node = table;
  for (const s of segs) node = isTable(node) && Object.hasOwn(node, s) ? node[s] : undefined;
  return node;
}

/** The user's effective value for `segs`; a tool's sandbox policy falls back to `sandbox.default`, as the sandbox does. */
function baseValue(base: Config, segs: string[]): unknown {
  const own = getPath(base, segs);
  if (own === undefined && segs[0] === "sandbox" && segs[1] === "tools" && segs.length === 4)
    return getPath(base, ["sandbox", "default", segs[3] as string]);
  if (own === undefined && segs[0] === "sandbox" && segs[1] === "default" && segs[2] === "network")
    return "deny";
  return own;
}

/** Leaves as segment lists (not dotted strings: a record key such as a provider id may contain a dot). */
function leaves(table: Json, at: string[] = []): Array<[string[], unknown]> {
  return Object.entries(table).flatMap(([k, v]) =>
    isTable(v) && Object.keys(v).length ? leaves(v, [...at, k]) : [[[...at, k], v] as [string[], unknown]],
  );
}

/**
 * Keeps only what tightens security relative to `base` (the user's config with defaults): deny/ask rules, the
 * sandbox switched on, lower limits, narrower lists, neutral UI/session settings. Everything else is ignored.
 */
export function filterUntrustedProject(project: Json, base: Config): UntrustedProjectLayer {
  const values: Json = {};
  const askRules: PermissionRule[] = [];
  const ignored: IgnoredKey[] = [];
  for (const [segs, value] of leaves(project)) {
    const key = segs.join(".");
    if (key === "permissions.rules" && Array.isArray(value)) {
      const deny: PermissionRule[] = [];
      value.forEach((rule: PermissionRule, i) => {
        if (rule.action === "deny") deny.push(rule);
        else if (rule.action === "ask") askRules.push(rule);
        else
          ignored.push({
            key: `permissions.rules[${i}]`,
            reason: `an ${rule.action} rule loosens permissions`,
          });
      });
      if (deny.length) setKeyPath(values, segs, deny);
      continue;
    }
    const current = baseValue(base, segs);
    const check = LEAF_POLICY.find(([pattern]) => matches(pattern, segs))?.[1];
    const verdict: Verdict = isDeepStrictEqual(value, current)
      ? true
      : (check ?? never("is not known to be safe from an untrusted folder"))(value, current);
    if (verdict === true) setKeyPath(values, segs, value);
    else if (typeof verdict === "object") setKeyPath(values, segs, verdict.apply);
    else ignored.push({ key, reason: verdict });
  }
  return { values, askRules, ignored };
}
