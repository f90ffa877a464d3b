type Env = Record<string, string | undefined>;

/**
 * Environment variable names whose values are secrets: `OPENAI_API_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`, and the
 * other common spellings (`SMTP_PASS`, `MYSQL_PWD`, `NPM_CONFIG__AUTH`, `SENTRY_DSN`, `GH_PAT`, `SLACK_WEBHOOK_URL`).
 * `PWD`/`OLDPWD` (the working directory) and `GIT_ASKPASS` (a program) do not match: they need the `_`.
 */
const SECRET_ENV =
  /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?|_PASS|_PWD|_AUTH|_DSN|_PAT|WEBHOOK_URL|COOKIE)$/i;

/**
 * The password of a `scheme://user:password@host` value (DATABASE_URL, HTTPS_PROXY...) as written and decoded
 * (a command may print either), else nothing.
 */
function urlPasswords(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(value)) return [];
  try {
    const password = new URL(value).password;
    if (!password) return [];
    try {
      return [password, decodeURIComponent(password)];
    } catch {
      return [password];
    }
  } catch {
    return [];
  }
}
/** Shorter values would mask ordinary words; provider keys and tokens are far longer. */
const MIN_SECRET_LENGTH = 8;

/**
 * Every secret value the runtime knows: provider keys from config and the environment, values read from the secret
 * store (file or Vault), and any the host adds (the server's bearer token). Everything the agent records or sends is
 * masked with these exact values, on top of pattern-based redaction where the record is ours (the audit log).
 */
export class KnownSecrets {
  private readonly set = new Set<string>();
  /** The same values as a live array (the audit log holds it and sees values added later). */
  readonly list: string[] = [];

  constructor(sources: { env?: Env; configKeys?: Array<string | undefined> } = {}) {
    for (const key of sources.configKeys ?? []) if (key) this.add(key);
    this.addEnv(sources.env ?? {});
  }

  /** Remembers the values of the variables named like secrets, and passwords in URLs of any variable. */
  addEnv(env: Env): void {
    for (const [name, value] of Object.entries(env)) {
      if (!value) continue;
      if (SECRET_ENV.test(name)) this.add(value);
      // Any variable can carry a URL with a password; only the password is masked, the address stays readable.
      for (const password of urlPasswords(value)) this.add(password);
    }
  }

  /** Remembers a secret value (ignored when too short to mask safely). */
  add(value: string | undefined, minLength = MIN_SECRET_LENGTH): void {
    if (!value || value.length < minLength || this.set.has(value)) return;
    this.set.add(value);
    this.list.push(value);
  }

  /**
   * Remembers the values of one secret-store entry: every string but `base_url` (an address, not a secret; keys
   * as short as 4 characters count, they are the store's whole point) and every header value.
   */
  addStoreEntry(entry: { headers?: Record<string, string> } | undefined): void {
    for (const [key, value] of Object.entries(entry ?? {}))
      if (typeof value === "string" && key !== "base_url") this.add(value, 4);
    for (const value of Object.values(entry?.headers ?? {})) this.add(value);
  }

  /** The values, longest first (so a secret containing another is masked whole). */
  get values(): string[] {
    return [...this.set].sort((a, b) => b.length - a.length);
  }
}
