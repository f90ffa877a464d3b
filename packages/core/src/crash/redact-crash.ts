type Env = Record<string, string | undefined>;

/** Environment variable names whose values are secrets (API keys, tokens, passwords). */
const SECRET_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;

/** Patterns of secrets that can appear in an error message even when they did not come from the environment. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(sk|pk|rk|ghp|gho|ghu|ghs|github_pat|xox[abpr]|AKIA|ASIA)[-_A-Za-z0-9]{8,}/g, "[REDACTED]"],
  [/\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [REDACTED]"],
  [
    /\b(api[_-]?key|apikey|token|secret|password|passwd|authorization|x-api-key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
    "$1$2[REDACTED]",
  ],
  [/(\/\/[^/\s:@]+:)[^/\s@]+@/g, "$1[REDACTED]@"],
];

/** Values of secret-looking environment variables, longest first so overlapping values redact fully. */
export function secretEnvValues(env: Env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_ENV_NAME.test(name) && typeof value === "string" && value.length >= 6)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
}

/** Removes secrets from text: known key formats, `key=value` pairs, URL credentials and secret env values. */
export function redactSecrets(text: string, env: Env = {}): string {
  let out = text;
  for (const value of secretEnvValues(env)) out = out.split(value).join("[REDACTED]");
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
