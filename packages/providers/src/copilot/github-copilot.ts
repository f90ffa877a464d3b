import { type ModelInfo, ProviderError } from "@codetether/core";
import { catalogModels } from "../catalog.js";
import {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProvider,
} from "../openai/openai-compatible.js";
import { redact } from "../openai/openai-errors.js";

/** Headers Copilot requires to identify the editor integration. */
export const COPILOT_HEADERS: Readonly<Record<string, string>> = {
  "Editor-Version": "codetether/0.1.0",
  "Editor-Plugin-Version": "codetether/0.1.0",
  "Copilot-Integration-Id": "vscode-chat",
  "Openai-Intent": "conversation-edits",
  "X-Initiator": "agent",
  "User-Agent": "codetether/0.1.0",
};

export const COPILOT_DEFAULT_MODEL = "gpt-5-mini";
const LOGIN_HINT = "run `codetether auth copilot` to sign in to GitHub again";

export interface CopilotToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Chat API base URL from the token's `endpoints.api`. */
  apiBaseURL: string;
}

export interface CopilotProviderOptions {
  /** Provider id (default `github-copilot`). */
  id?: string;
  /** The stored GitHub OAuth token from the device flow. */
  githubToken: string;
  /** GitHub API base (default `https://api.github.com`; enterprise: `https://api.<domain>`). */
  githubApiURL?: string;
  /** Overrides the chat endpoint the token names. */
  baseURL?: string;
  headers?: Record<string, string>;
  defaultModel?: string;
  models?: ModelInfo[];
  fetch?: typeof fetch;
  /** Clock, for token expiry (tests). */
  now?: () => number;
}

/** https anywhere; plain http only to this machine (local fakes and proxies). */
function isSafeEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** Exchanges a GitHub OAuth token for a short-lived Copilot API token. */
export async function exchangeCopilotToken(options: {
  githubToken: string;
  githubApiURL?: string;
  fetch?: typeof fetch;
  provider?: string;
  signal?: AbortSignal;
}): Promise<CopilotToken> {
  const provider = options.provider ?? "github-copilot";
  const base = (options.githubApiURL ?? "https://api.github.com").replace(/\/+$/, "");
  if (!isSafeEndpoint(base)) {
    throw new ProviderError(
      `${provider}: refusing to send the GitHub token to ${JSON.stringify(base)}: providers.${provider}.github_api_url must be an https URL (plain http only to 127.0.0.1 or localhost).`,
      { provider, kind: "bad_request" },
    );
  }
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${base}/copilot_internal/v2/token`, {
      headers: {
        Authorization: `token ${options.githubToken}`,
        Accept: "application/json",
        ...COPILOT_HEADERS,
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new ProviderError(
      `${provider}: cannot reach ${base} for a Copilot token (${redact(String(err), [options.githubToken])}).`,
      {
        provider,
        kind: "network",
        cause: err,
      },
    );
  }
  const text = await res.text();
  if (res.status === 401) {
    throw new ProviderError(
      `invalid API key for ${provider}: GitHub rejected the stored token (HTTP 401); ${LOGIN_HINT}.`,
      {
        provider,
        kind: "auth",
        status: 401,
      },
    );
  }
  if (res.status === 403 || res.status === 404) {
    throw new ProviderError(
      `${provider}: this GitHub account has no Copilot access (HTTP ${res.status}). Check the Copilot subscription, then ${LOGIN_HINT}.`,
      { provider, kind: "auth", status: res.status },
    );
  }
  if (!res.ok) {
    throw new ProviderError(`${provider}: Copilot token exchange failed (HTTP ${res.status}).`, {
      provider,
      kind: res.status >= 500 ? "server" : "bad_request",
      status: res.status,
    });
  }
  let body: { token?: unknown; expires_at?: unknown; endpoints?: { api?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ProviderError(`${provider}: Copilot token endpoint returned invalid JSON.`, {
      provider,
      kind: "server",
    });
  }
  if (typeof body.token !== "string" || typeof body.expires_at !== "number") {
    throw new ProviderError(`${provider}: Copilot token response lacks "token"/"expires_at".`, {
      provider,
      kind: "server",
    });
  }
  const api = typeof body.endpoints?.api === "string" ? body.endpoints.api : "https://api.githubcopilot.com";
  if (!isSafeEndpoint(api)) {
    throw new ProviderError(
      `${provider}: refusing to send the Copilot token to ${JSON.stringify(api)}: the token endpoint must name an https URL.`,
      { provider, kind: "server" },
    );
  }
  return { token: body.token, expiresAt: body.expires_at * 1000, apiBaseURL: api.replace(/\/+$/, "") };
}

/**
 * GitHub Copilot: an OpenAI-compatible provider whose bearer token is exchanged from the stored GitHub OAuth
 * token and refreshed a minute before it expires; requests carry Copilot's editor headers.
 */
export function createCopilotProvider(options: CopilotProviderOptions): OpenAICompatibleProvider {
  const id = options.id ?? "github-copilot";
  const now = options.now ?? Date.now;
  let current: Promise<CopilotToken> | undefined;
  let currentToken: CopilotToken | undefined;

  async function token(): Promise<CopilotToken> {
    if (currentToken && currentToken.expiresAt - 60_000 > now()) return currentToken;
    current ??= exchangeCopilotToken({
      githubToken: options.githubToken,
      provider: id,
      ...(options.githubApiURL ? { githubApiURL: options.githubApiURL } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }).finally(() => {
      current = undefined;
    });
    currentToken = await current;
    return currentToken;
  }

  return createOpenAICompatibleProvider({
    id,
    baseURL: options.baseURL ?? "https://api.githubcopilot.com",
    headers: { ...COPILOT_HEADERS, ...options.headers },
    defaultModel: options.defaultModel ?? COPILOT_DEFAULT_MODEL,
    models: options.models ?? catalogModels("github-copilot"),
    keyHint: LOGIN_HINT,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    apiKey: async () => {
      const t = await token();
      return { apiKey: t.token, baseURL: options.baseURL ?? t.apiBaseURL };
    },
  });
}
