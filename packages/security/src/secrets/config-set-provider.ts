import type { CommandIo } from "../manifest/tools-commands.js";
import { createSecretStore } from "./create-secret-store.js";
import type { ProviderSecret, SecretStore } from "./secret-store.js";

export interface ConfigSetProviderOptions {
  /** Provider name (`openai`, `anthropic`, a custom id). */
  name: string;
  /** The key, or `-` to read it from `stdin` (recommended: keeps it out of shell history and `ps`). */
  apiKey?: string;
  baseUrl?: string;
  /** Where `-` reads from (the CLI passes process.stdin). */
  stdin?: AsyncIterable<string | Buffer>;
  configDir?: string;
  /** Store override (tests); default `createSecretStore(io.env)`. */
  store?: SecretStore;
}

/**
 * `codetether config --set-provider NAME --api-key - [--base-url URL]`: stores the provider's key in Vault
 * when configured, else in the 0600 file store. Prints where it went, never the key. Returns an exit code.
 */
export async function configSetProvider(options: ConfigSetProviderOptions, io: CommandIo): Promise<number> {
  let store: SecretStore | undefined;
  try {
    let apiKey = options.apiKey;
    if (apiKey === "-") {
      if (!options.stdin) throw new Error("--api-key - needs the key on standard input");
      let text = "";
      for await (const chunk of options.stdin) text += chunk.toString();
      apiKey = text.trim();
      if (!apiKey) throw new Error("no API key on standard input");
    }
    if (apiKey === undefined && options.baseUrl === undefined) {
      throw new Error("nothing to set: pass --api-key (or '-' for stdin) and/or --base-url");
    }
    store = options.store ?? createSecretStore(io.env ?? process.env, { configDir: options.configDir });
    const existing = (await store.get(options.name)) ?? {};
    const secret: ProviderSecret = { ...existing };
    if (apiKey !== undefined) secret.api_key = apiKey;
    if (options.baseUrl !== undefined) secret.base_url = options.baseUrl;
    await store.set(options.name, secret);
    io.stdout.write(`stored settings for provider "${options.name}" in ${store.kind} (${store.location})\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    if (!options.store) store?.close();
  }
}
