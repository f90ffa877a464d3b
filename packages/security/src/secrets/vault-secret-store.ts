import type nodeVault from "node-vault";
import {
  checkProviderName,
  type ProviderSecret,
  ProviderSecretSchema,
  type SecretStore,
} from "./secret-store.js";

export interface VaultSecretStoreOptions {
  /** `VAULT_ADDR`, e.g. `http://127.0.0.1:8200`. */
  address: string;
  /** `VAULT_TOKEN`. Never logged or put in errors. */
  token: string;
  /** KV v2 mount (`VAULT_MOUNT`, default `secret`). */
  mount?: string;
  /** Path under the mount holding one secret per provider (`VAULT_SECRETS_PATH`, default `codetether/providers`). */
  secretsPath?: string;
  /** How long reads and listings are cached (default 5 minutes). */
  cacheTtlMs?: number;
  /** Renew the token (renew-self) when 80% of its TTL has passed (default true). */
  renewToken?: boolean;
  /** Called when background renewal fails (message is token-free). */
  onRenewError?: (error: Error) => void;
}

interface CacheEntry<T> {
  value: T;
  expires: number;
}

interface VaultResponseError {
  response?: { statusCode?: number; body?: { errors?: unknown[] } };
  code?: string;
}

/**
 * Provider secrets in HashiCorp Vault KV v2 through `node-vault`: provider `<name>` is the secret at
 * `<mount>/<secretsPath>/<name>` with `api_key`, `base_url`, `headers` and any extra fields.
 */
export class VaultSecretStore implements SecretStore {
  readonly kind = "vault" as const;
  readonly location: string;
  private clientPromise: Promise<nodeVault.client> | undefined;
  private readonly mount: string;
  private readonly base: string;
  private readonly ttl: number;
  private readonly cache = new Map<string, CacheEntry<unknown>>();
  private renewTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: VaultSecretStoreOptions) {
    if (!options.address) throw new Error("Vault address missing: set VAULT_ADDR");
    if (!options.token) throw new Error("Vault token missing: set VAULT_TOKEN");
    this.mount = trimSlashes(options.mount ?? "secret");
    this.base = trimSlashes(options.secretsPath ?? "codetether/providers");
    this.ttl = options.cacheTtlMs ?? 5 * 60_000;
    this.location = `${options.address.replace(/\/$/, "")} ${this.mount}/${this.base}`;
    // GET ?list=true instead of the LIST verb: Vault accepts both, and proxies (and Node's HTTP parser) reject LIST.
    if (options.renewToken !== false) void this.scheduleRenewal();
  }

  /** node-vault (and axios under it) is loaded on first use: most runs never read a secret from Vault. */
  private client(): Promise<nodeVault.client> {
    this.clientPromise ??= import("node-vault").then(({ default: nodeVault }) =>
      // GET ?list=true instead of the LIST verb: Vault accepts both, and proxies (and Node's HTTP parser) reject LIST.
      nodeVault({
        endpoint: this.options.address,
        token: this.options.token,
        apiVersion: "v1",
        noCustomHTTPVerbs: true,
      }),
    );
    return this.clientPromise;
  }

  async get(provider: string): Promise<ProviderSecret | undefined> {
    checkProviderName(provider);
    return this.cached(`get:${provider}`, async () => {
      const where = `${this.mount}/${this.base}/${provider}`;
      try {
        const res = (await (await this.client()).read(`${this.mount}/data/${this.base}/${provider}`)) as {
          data?: { data?: unknown };
        };
        const parsed = ProviderSecretSchema.safeParse(res?.data?.data ?? {});
        if (!parsed.success) throw new Error(`Vault secret ${where} is not an object of provider settings`);
        return parsed.data;
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw this.describe(err, `read ${where}`);
      }
    });
  }

  async list(): Promise<string[]> {
    return this.cached("list", async () => {
      try {
        const res = (await (await this.client()).list(`${this.mount}/metadata/${this.base}`)) as {
          data?: { keys?: unknown };
        };
        const keys = Array.isArray(res?.data?.keys) ? (res.data.keys as unknown[]) : [];
        // Sub-folders end with '/': only leaf secrets are providers.
        return keys.filter((k): k is string => typeof k === "string" && !k.endsWith("/")).sort();
      } catch (err) {
        if (statusOf(err) === 404) return [];
        throw this.describe(err, `list ${this.mount}/${this.base}`);
      }
    });
  }

  async set(provider: string, secret: ProviderSecret): Promise<void> {
    checkProviderName(provider);
    const parsed = ProviderSecretSchema.safeParse(secret);
    if (!parsed.success)
      throw new Error(`invalid secret for "${provider}": ${parsed.error.issues[0]?.message}`);
    try {
      await (await this.client()).write(`${this.mount}/data/${this.base}/${provider}`, { data: parsed.data });
    } catch (err) {
      throw this.describe(err, `write ${this.mount}/${this.base}/${provider}`);
    }
    this.cache.delete(`get:${provider}`);
    this.cache.delete("list");
  }

  /** Renews the token now (POST auth/token/renew-self); returns the new TTL in seconds. */
  async renewToken(): Promise<number> {
    try {
      const res = (await (await this.client()).tokenRenewSelf()) as { auth?: { lease_duration?: number } };
      return res?.auth?.lease_duration ?? 0;
    } catch (err) {
      throw this.describe(err, "renew the Vault token");
    }
  }

  close(): void {
    this.closed = true;
    if (this.renewTimer) clearTimeout(this.renewTimer);
  }

  private async scheduleRenewal(ttlSeconds?: number): Promise<void> {
    try {
      let ttl = ttlSeconds;
      if (ttl === undefined) {
        const self = (await (await this.client()).tokenLookupSelf()) as {
          data?: { ttl?: number; renewable?: boolean };
        };
        if (!self?.data?.renewable || !self.data.ttl) return; // root / non-expiring tokens need no renewal
        ttl = self.data.ttl;
      }
      if (this.closed || ttl <= 0) return;
      this.renewTimer = setTimeout(
        () => {
          this.renewToken().then(
            (next) => this.scheduleRenewal(next),
            (err: Error) => this.options.onRenewError?.(err),
          );
        },
        Math.max(1000 * ttl * 0.8, 100),
      );
      this.renewTimer.unref();
    } catch (err) {
      this.options.onRenewError?.(this.describe(err, "look up the Vault token"));
    }
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.value as T;
    const value = await load();
    this.cache.set(key, { value, expires: Date.now() + this.ttl });
    return value;
  }

  /** A token-free error: node-vault/axios errors carry request headers (X-Vault-Token), so never rethrow them. */
  private describe(err: unknown, action: string): Error {
    if (err instanceof Error && !(err as VaultResponseError).response && !(err as VaultResponseError).code) {
      if (/^Vault secret /.test(err.message)) return err;
    }
    const status = statusOf(err);
    const code = (err as VaultResponseError).code;
    const vaultMessage = (err as VaultResponseError).response?.body?.errors?.find(
      (e) => typeof e === "string",
    );
    let hint = "";
    if (status === 403) hint = ": permission denied (check VAULT_TOKEN and its policy for this path)";
    else if (status === 401) hint = ": unauthenticated (VAULT_TOKEN is invalid or expired)";
    else if (status !== undefined)
      hint = `: HTTP ${status}${vaultMessage ? ` (${String(vaultMessage).slice(0, 200)})` : ""}`;
    else if (code) hint = `: cannot reach Vault at ${this.options.address} (${code})`;
    else hint = `: ${err instanceof Error ? err.message.slice(0, 200) : "unknown error"}`;
    const error = new Error(`Vault: could not ${action}${hint}`);
    error.name = "VaultError";
    return error;
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as VaultResponseError)?.response?.statusCode;
}

const trimSlashes = (text: string) => text.replace(/^\/+|\/+$/g, "");
