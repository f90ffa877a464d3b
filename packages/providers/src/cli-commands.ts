import type { Config, ModelInfo, ProviderRegistry } from "@codetether/core";
import { toJsonText } from "@codetether/core";
import { runCopilotDeviceFlow } from "./copilot/copilot-device-flow.js";

/** Where a CLI command writes. */
export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface CopilotAuthOptions {
  /** `--client-id`; default `CODETETHER_COPILOT_OAUTH_CLIENT_ID` from `env`. */
  clientId?: string;
  env?: Record<string, string | undefined>;
  /** Persists the GitHub OAuth token (the host's secret store, under provider `github-copilot`, field `api_key`). */
  store: (secret: { api_key: string }) => Promise<void>;
  fetch?: typeof fetch;
  githubURL?: string;
  signal?: AbortSignal;
}

/**
 * `codetether auth copilot`: runs GitHub's device flow, shows the code, stores the token.
 * Exit codes: 0 signed in, 1 sign-in failed, 2 usage error (no client id). Never prints the token.
 */
export async function runCopilotAuthCommand(options: CopilotAuthOptions, io: CommandIO): Promise<number> {
  const clientId = options.clientId ?? (options.env ?? process.env).CODETETHER_COPILOT_OAUTH_CLIENT_ID;
  if (!clientId?.trim()) {
    io.stderr.write(
      "codetether auth copilot: no OAuth client id. Pass --client-id <id> or set CODETETHER_COPILOT_OAUTH_CLIENT_ID.\n",
    );
    return 2;
  }
  try {
    const token = await runCopilotDeviceFlow({
      clientId,
      onCode: (code) => {
        io.stdout.write(
          `Open ${code.verificationUri} and enter the code ${code.userCode} (valid ${Math.round(code.expiresIn / 60)} min).\nWaiting for approval...\n`,
        );
      },
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.githubURL ? { githubURL: options.githubURL } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await options.store({ api_key: token.accessToken });
    io.stdout.write(
      "Signed in to GitHub Copilot. Use --model github-copilot/<model>, e.g. github-copilot/gpt-5-mini.\n",
    );
    return 0;
  } catch (err) {
    io.stderr.write(`codetether auth copilot: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

export interface ModelsCommandOptions {
  registry: ProviderRegistry;
  config?: Pick<Config, "providers">;
  /** Only this provider id. */
  provider?: string;
  /** One JSON object per line instead of a table. */
  json?: boolean;
}

const price = (n: number | undefined) => (n === undefined ? "-" : `$${n}`);
const tokens = (n: number | undefined) =>
  n === undefined ? "-" : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n);

/** `codetether models`: the models of every configured provider with limits and prices. Exit 0, or 2 for an unknown provider. */
export async function runModelsCommand(options: ModelsCommandOptions, io: CommandIO): Promise<number> {
  const ids = options.registry.ids();
  if (options.provider && !ids.includes(options.provider)) {
    io.stderr.write(
      `Unknown or unconfigured provider "${options.provider}". Configured: ${ids.length ? ids.join(", ") : "none"}.\n`,
    );
    return 2;
  }
  const models: ModelInfo[] = [];
  for (const id of options.provider ? [options.provider] : ids) {
    const provider = options.registry.get(id);
    if (provider) models.push(...(await provider.listModels()).map((m) => ({ ...m, provider: id })));
  }
  if (options.json) {
    for (const m of models) io.stdout.write(toJsonText(m));
    return 0;
  }
  const rows = [
    ["MODEL", "CONTEXT", "MAX OUT", "TOOLS", "VISION", "IN $/M", "OUT $/M"],
    ...models.map((m) => [
      `${m.provider}/${m.id}`,
      tokens(m.contextWindow),
      tokens(m.maxOutputTokens),
      m.supportsTools ? "yes" : "no",
      m.supportsVision ? "yes" : "no",
      price(m.pricing?.input),
      price(m.pricing?.output),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const row of rows)
    io.stdout.write(
      `${row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
  if (models.length === 0) io.stdout.write("No models: no provider is configured.\n");
  return 0;
}
