import path from "node:path";
import { loadConfig } from "@codetether/core";

type Env = Record<string, string | undefined>;
const SECRET_ENV = /(KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?)$/i;

/**
 * Exact secret values to mask on top of pattern-based redaction: provider keys from config, secret-named
 * environment variables and the values in the secret store. A store or config that cannot be read adds
 * nothing (patterns still apply); exporting must not fail because Vault is down.
 */
export async function knownSecretValues(cwd: string, env: Env): Promise<string[]> {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(env))
    if (value && value.length >= 8 && SECRET_ENV.test(name)) out.add(value);
  let configDir: string | undefined;
  try {
    const loaded = loadConfig({ cwd, env });
    configDir = path.dirname(loaded.userFile);
    for (const p of Object.values(loaded.config.providers))
      if (p.api_key && p.api_key.length >= 4) out.add(p.api_key);
  } catch {
    // An invalid config is reported by the commands that use it.
  }
  try {
    const { createSecretStore } = await import("@codetether/security");
    const store = createSecretStore(env, configDir ? { configDir } : {});
    try {
      for (const name of await store.list()) {
        const secret = await store.get(name);
        for (const [key, value] of Object.entries(secret ?? {}))
          if (typeof value === "string" && key !== "base_url" && value.length >= 4) out.add(value);
        for (const value of Object.values(secret?.headers ?? {})) if (value.length >= 8) out.add(value);
      }
    } finally {
      store.close();
    }
  } catch {
    // Unreadable store: patterns still redact key-shaped values.
  }
  return [...out];
}
