import path from "node:path";
import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { loadRuntimeConfig } from "../wiring/runtime.js";

/**
 * `codetether auth copilot [--client-id ID]`: GitHub device flow; the token goes to the secret store
 * (Vault if configured, else the 0600 file store) as provider `github-copilot`. `CODETETHER_GITHUB_URL`
 * points the flow at GitHub Enterprise (default https://github.com).
 */
export async function authCopilotCommand(options: { clientId?: string }, io: CliIO): Promise<number> {
  const loaded = loadRuntimeConfig(io.cwd, io.env);
  const { createSecretStore } = await import("@codetether/security");
  const { runCopilotAuthCommand } = await import("@codetether/providers");
  const store = createSecretStore(io.env, { configDir: path.dirname(loaded.userFile) });
  try {
    let code = 1;
    await withInterrupt(async (signal) => {
      code = await runCopilotAuthCommand(
        {
          ...(options.clientId ? { clientId: options.clientId } : {}),
          env: io.env,
          signal,
          ...(io.env.CODETETHER_GITHUB_URL ? { githubURL: io.env.CODETETHER_GITHUB_URL } : {}),
          store: async (secret) => {
            const existing = (await store.get("github-copilot")) ?? {};
            await store.set("github-copilot", { ...existing, api_key: secret.api_key });
            io.stderr.write(`codetether: token stored in ${store.kind} (${store.location})\n`);
          },
        },
        io,
      );
    });
    return code;
  } finally {
    store.close();
  }
}
