import path from "node:path";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { loadRuntimeConfig } from "../wiring/runtime.js";

export interface SetProviderOptions {
  setProvider: string;
  apiKey?: string;
  baseUrl?: string;
}

/**
 * `codetether config --set-provider NAME --api-key - [--base-url URL]`: the key goes to Vault when
 * VAULT_ADDR/VAULT_TOKEN are set, else to the 0600 file store in the config dir. Never printed.
 */
export async function setProviderCommand(options: SetProviderOptions, io: CliIO): Promise<number> {
  if (options.apiKey !== undefined && options.apiKey !== "-") {
    // A key on the command line lands in shell history and `ps`: refuse it rather than leak it.
    throw new CliError(
      "--api-key takes '-' and reads the key from standard input (a key in the arguments would end up in shell history). Example: printf %s \"$KEY\" | codetether config --set-provider openai --api-key -",
      ExitCode.Usage,
    );
  }
  const { checkProviderName, configSetProvider } = await import("@codetether/security");
  try {
    checkProviderName(options.setProvider);
  } catch (err) {
    throw new CliError(`--set-provider: ${(err as Error).message}`, ExitCode.Usage);
  }
  if (options.baseUrl !== undefined && !/^https?:\/\/[^\s]+$/i.test(options.baseUrl))
    throw new CliError(
      `--base-url must be an http(s) URL such as https://api.example.com/v1, got "${options.baseUrl}".`,
      ExitCode.Usage,
    );
  const loaded = loadRuntimeConfig(io.cwd, io.env);
  return configSetProvider(
    {
      name: options.setProvider,
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      stdin: io.stdin as AsyncIterable<string | Buffer>,
      configDir: path.dirname(loaded.userFile),
    },
    { stdout: io.stdout, stderr: io.stderr, env: io.env },
  );
}
