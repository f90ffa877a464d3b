import { lazySchema } from "@codetether/core";
import { z } from "zod";

/** Credentials and connection settings of one provider; extra fields (region, org id, ...) are kept. */
export const ProviderSecretSchema = lazySchema(() =>
  z
    .object({
      api_key: z.string().optional(),
      base_url: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .catchall(z.unknown()),
);

export type ProviderSecret = z.infer<typeof ProviderSecretSchema>;

/** Where provider secrets live. Implementations never put secret values in errors or logs. */
export interface SecretStore {
  readonly kind: "vault" | "env" | "file";
  /** Human-readable location (Vault address + path, file path); never contains secrets. */
  readonly location: string;
  /** The provider's secret, or undefined if it is not configured here. */
  get(provider: string): Promise<ProviderSecret | undefined>;
  /** Names of the providers configured in this store. */
  list(): Promise<string[]>;
  /** Stores (replaces) a provider's secret. Throws for stores that are read-only (env). */
  set(provider: string, secret: ProviderSecret): Promise<void>;
  /** Stops background work (token renewal timers). */
  close(): void;
}

const PROVIDER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** Provider names become path segments (Vault, env var names): refuse anything that could escape. */
export function checkProviderName(name: string): string {
  if (!PROVIDER_NAME.test(name)) {
    throw new Error(
      `invalid provider name ${JSON.stringify(name.slice(0, 70))}: use letters, digits, '.', '_' or '-' (max 64)`,
    );
  }
  return name;
}
