import type { ShellEnvironmentPolicyConfig } from "@codetether/core";

type Env = Record<string, string | undefined>;

/** What `inherit = "core"` keeps: what a shell and common tools need to run, no credentials. */
export const CORE_ENV = [
  "HOME",
  "LOGNAME",
  "PATH",
  "SHELL",
  "USER",
  "USERNAME",
  "TMPDIR",
  "TEMP",
  "TMP",
  "LANG",
  "LANGUAGE",
  "LC_*",
  "TERM",
  "TZ",
] as const;

/** Dropped unless `ignore_default_excludes = true` (codex's defaults). */
export const DEFAULT_ENV_EXCLUDES = ["*KEY*", "*SECRET*", "*TOKEN*"] as const;

const globCache = new Map<string, RegExp>();

/** Whether `name` matches the glob `pattern` (`*` any run of characters, `?` one), ignoring case. */
export function envPatternMatches(pattern: string, name: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
      .join("");
    re = new RegExp(`^${body}$`, "i");
    globCache.set(pattern, re);
  }
  return re.test(name);
}

const matchesAny = (patterns: readonly string[], name: string) =>
  patterns.some((p) => envPatternMatches(p, name));

/**
 * The environment a command run on the model's behalf gets from `env` under `policy`, in codex's order:
 * start from `inherit` (all, core, none), drop the default excludes (unless `ignore_default_excludes`), drop
 * `exclude`, add `set`, then keep only `include_only` when it is not empty.
 */
export function applyShellEnvPolicy(env: Env, policy: ShellEnvironmentPolicyConfig): Record<string, string> {
  const inherit = policy.inherit ?? "all";
  const excludes = [
    ...(policy.ignore_default_excludes ? [] : DEFAULT_ENV_EXCLUDES),
    ...(policy.exclude ?? []),
  ];
  const out: Record<string, string> = {};
  if (inherit !== "none")
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) continue;
      if (inherit === "core" && !matchesAny(CORE_ENV, name)) continue;
      if (matchesAny(excludes, name)) continue;
      out[name] = value;
    }
  Object.assign(out, policy.set ?? {});
  const only = policy.include_only ?? [];
  if (only.length) for (const name of Object.keys(out)) if (!matchesAny(only, name)) delete out[name];
  return out;
}

/** One line for `--verbose` and the docs: what the policy does. */
export function describeShellEnvPolicy(policy: ShellEnvironmentPolicyConfig): string {
  const parts = [`inherit ${policy.inherit ?? "all"}`];
  const excludes = [
    ...(policy.ignore_default_excludes ? [] : DEFAULT_ENV_EXCLUDES),
    ...(policy.exclude ?? []),
  ];
  if (excludes.length) parts.push(`drop ${excludes.join(", ")}`);
  const set = Object.keys(policy.set ?? {});
  if (set.length) parts.push(`set ${set.join(", ")}`);
  if (policy.include_only?.length) parts.push(`keep only ${policy.include_only.join(", ")}`);
  return parts.join("; ");
}
