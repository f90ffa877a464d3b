import { configDir as defaultConfigDir } from "@codetether/core";
import { EnvSecretStore } from "./env-secret-store.js";
import { FileSecretStore } from "./file-secret-store.js";
import type { ProviderSecret, SecretStore } from "./secret-store.js";
import { VaultSecretStore, type VaultSecretStoreOptions } from "./vault-secret-store.js";

type Env = Record<string, string | undefined>;

export interface CreateSecretStoreOptions {
  configDir?: string;
  vault?: Partial<VaultSecretStoreOptions>;
}

/**
 * The secret store for this environment: Vault when `VAULT_ADDR` and `VAULT_TOKEN` are set; otherwise
 * environment variables first, then the 0600 file store in the config dir (writes go to the file store).
 */
export function createSecretStore(
  env: Env = process.env,
  options: CreateSecretStoreOptions = {},
): SecretStore {
  if (env.VAULT_ADDR && env.VAULT_TOKEN) {
    return new VaultSecretStore({
      address: env.VAULT_ADDR,
      token: env.VAULT_TOKEN,
      mount: env.VAULT_MOUNT || "secret",
      secretsPath: env.VAULT_SECRETS_PATH || "codetether/providers",
      ...options.vault,
    });
  }
  if (env.VAULT_ADDR && !env.VAULT_TOKEN) {
    throw new Error("VAULT_ADDR is set but VAULT_TOKEN is not: set the token or unset VAULT_ADDR");
  }
  return new LayeredSecretStore(
    new EnvSecretStore(env),
    new FileSecretStore(options.configDir ?? defaultConfigDir(env)),
  );
}

/** Environment first, then file; writes go to the file. */
export class LayeredSecretStore implements SecretStore {
  readonly kind = "file" as const;

  constructor(
    readonly env: EnvSecretStore,
    readonly file: FileSecretStore,
  ) {}

  get location(): string {
    return `${this.env.location}, then ${this.file.location}`;
  }

  async get(provider: string): Promise<ProviderSecret | undefined> {
    const fromEnv = await this.env.get(provider);
    const fromFile = await this.file.get(provider);
    if (!fromEnv) return fromFile;
    return { ...fromFile, ...fromEnv };
  }

  async list(): Promise<string[]> {
    return [...new Set([...(await this.env.list()), ...(await this.file.list())])].sort();
  }

  set(provider: string, secret: ProviderSecret): Promise<void> {
    return this.file.set(provider, secret);
  }

  close(): void {}
}
