import path from "node:path";
import { loadConfig } from "@codetether/core";
import { KnownSecrets } from "./known-secrets.js";

/**
 * Every known secret value for a command that builds no runtime (e.g. `export`): provider keys from config,
 * secret-named environment variables and every entry of the secret store — the same values a runtime masks.
 * A config or store that cannot be read adds nothing (pattern-based redaction still applies): exporting must not
 * fail because Vault is down.
 */
export async function collectKnownSecrets(
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<string[]> {
  let configDir: string | undefined;
  let configKeys: Array<string | undefined> = [];
  try {
    const loaded = loadConfig({ cwd, env });
    configDir = path.dirname(loaded.userFile);
    configKeys = Object.values(loaded.config.providers).map((p) => p.api_key);
  } catch {
    // An invalid config is reported by the commands that use it.
  }
  const secrets = new KnownSecrets({ env, configKeys });
  try {
    const { createSecretStore } = await import("@codetether/security");
    const store = createSecretStore(env, configDir ? { configDir } : {});
    try {
      for (const name of await store.list()) secrets.addStoreEntry(await store.get(name));
    } finally {
      store.close();
    }
  } catch {
    // Unreadable store: patterns still redact key-shaped values.
  }
  return secrets.values;
}
