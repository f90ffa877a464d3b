/** Replacement text for anything that looks like a secret. */
export const REDACTED = "[REDACTED]";

/** Words that make a key secret (`access_token`, `clientSecret`, `X-Api-Key`); `tokens` (counts) is not one. */
const SECRET_WORDS = new Set([
  "token",
  "secret",
  "secrets",
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "authorization",
  "auth",
  "cookie",
  "credential",
  "credentials",
  "apikey",
]);
const SECRET_PAIRS = /(^|_)(api|private|access|session|secret|signing)_key(_|$)/;

/**
 * Values that look like credentials even under an innocent key: vendor key prefixes, bearer headers,
 * JWTs, PEM private keys, Vault tokens, long high-entropy strings.
 */
const SECRET_VALUE_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bsk-(ant-|proj-|or-)?[A-Za-z0-9_-]{16,}/g,
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bhv[sb]\.[A-Za-z0-9_-]{20,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // Long unbroken hex / base64 runs (generated tokens, raw keys). 32+ chars with mixed classes.
  /\b[A-Fa-f0-9]{40,}\b/g,
  /(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*[0-9])(?=[A-Za-z0-9+/_-]*[a-z])(?=[A-Za-z0-9+/_-]*[A-Z])[A-Za-z0-9+/_-]{40,}={0,2}/g,
];

/** Normalises a key (`X-Api-Key`, `apiKey` → `x_api_key`, `api_key`) and checks its words. */
function isSecretKey(key: string): boolean {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[-.\s]/g, "_")
    .toLowerCase();
  return SECRET_PAIRS.test(snake) || snake.split("_").some((word) => SECRET_WORDS.has(word));
}

/** Masks secret-looking substrings in free text (log lines, error messages). */
export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_VALUE_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/**
 * Returns a deep copy of `value` with secrets replaced by `[REDACTED]`: values under secret-like keys
 * (`api_key`, `token`, `authorization`, `password`, ...), strings that look like keys, and any of
 * `knownSecrets` (exact values, e.g. the configured provider keys) wherever they occur.
 * Cycles are cut, Errors become `{ name, message }`.
 */
export function redactSecrets<T>(value: T, knownSecrets: readonly string[] = []): T {
  return redactValue(value, knownSecrets, new WeakSet()) as T;
}

function redactValue(value: unknown, known: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactText(value, known);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message, known) };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, known, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isSecretKey(key) && (typeof item === "string" || (typeof item === "object" && item !== null))) {
      out[key] = typeof item === "object" ? redactObjectKeepingShape(item) : REDACTED;
    } else {
      out[key] = redactValue(item, known, seen);
    }
  }
  return out;
}

/** Under a secret key every leaf is secret (e.g. `headers: { authorization: ... }` nested under `auth`). */
function redactObjectKeepingShape(value: object): unknown {
  if (Array.isArray(value)) return value.map(() => REDACTED);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = REDACTED;
  return out;
}

/**
 * Returns `value` with every exact occurrence of `knownSecrets` (values of 4+ characters) in its strings replaced by
 * `[REDACTED]`, and nothing else changed: no pattern guessing, so stored content (sessions, events, tool output)
 * keeps hashes and paths intact. Plain objects and arrays are copied only where something changed; other objects
 * (Dates, class instances) are kept as they are.
 */
export function redactKnownSecrets<T>(value: T, knownSecrets: readonly string[]): T {
  const known = [...new Set(knownSecrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  if (!known.length) return value;
  return maskKnown(value, known, new WeakSet()) as T;
}

function maskKnown(value: unknown, known: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === "string") {
    let out = value;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    const items = value.map((item) => maskKnown(item, known, seen));
    return items.every((item, i) => item === value[i]) ? value : items;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const masked = maskKnown(item, known, seen);
    if (masked !== item) changed = true;
    out[key] = masked;
  }
  return changed ? out : value;
}
