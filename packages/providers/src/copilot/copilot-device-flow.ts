import { abortError, ProviderError, sleep } from "@codetether/core";

export interface DeviceCode {
  userCode: string;
  verificationUri: string;
  /** Seconds until the code expires. */
  expiresIn: number;
}

export interface CopilotDeviceFlowOptions {
  /** OAuth app client id (e.g. from `--client-id` or `CODETETHER_COPILOT_OAUTH_CLIENT_ID`). */
  clientId: string;
  /** Shows the user code and URL to the user. */
  onCode: (code: DeviceCode) => void | Promise<void>;
  fetch?: typeof fetch;
  /** Base of the OAuth endpoints (default `https://github.com`; tests point it at a local fake). */
  githubURL?: string;
  scope?: string;
  signal?: AbortSignal;
}

export interface GitHubOAuthToken {
  accessToken: string;
  tokenType: string;
  scope: string;
}

type Json = Record<string, unknown>;
const PROVIDER = "github-copilot";

async function postJson(doFetch: typeof fetch, url: string, body: Json, signal?: AbortSignal): Promise<Json> {
  let res: Response;
  try {
    res = await doFetch(url, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw abortError(signal);
    throw new ProviderError(`GitHub sign-in: cannot reach ${url} (${String(err)}).`, {
      provider: PROVIDER,
      kind: "network",
      cause: err,
    });
  }
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    throw new ProviderError(`GitHub sign-in: ${url} answered HTTP ${res.status} with non-JSON content.`, {
      provider: PROVIDER,
      kind: res.status >= 500 ? "server" : "bad_request",
      status: res.status,
    });
  }
  if (!res.ok && typeof json.error !== "string") {
    throw new ProviderError(`GitHub sign-in: ${url} answered HTTP ${res.status}.`, {
      provider: PROVIDER,
      kind: res.status >= 500 ? "server" : "bad_request",
      status: res.status,
    });
  }
  return json;
}

/**
 * GitHub's OAuth device flow: requests a device code, shows it through `onCode`, then polls until the user
 * authorises the app (honouring `interval` and `slow_down`), and returns the GitHub OAuth token that
 * {@link createCopilotProvider} exchanges for Copilot tokens. The host stores it in the secret store.
 */
export async function runCopilotDeviceFlow(options: CopilotDeviceFlowOptions): Promise<GitHubOAuthToken> {
  if (!options.clientId.trim()) {
    throw new Error(
      "GitHub sign-in needs an OAuth client id: pass --client-id or set CODETETHER_COPILOT_OAUTH_CLIENT_ID.",
    );
  }
  const doFetch = options.fetch ?? fetch;
  const base = (options.githubURL ?? "https://github.com").replace(/\/+$/, "");
  const code = await postJson(
    doFetch,
    `${base}/login/device/code`,
    { client_id: options.clientId, scope: options.scope ?? "read:user" },
    options.signal,
  );
  if (typeof code.device_code !== "string" || typeof code.user_code !== "string") {
    const why =
      typeof code.error_description === "string"
        ? code.error_description
        : String(code.error ?? "no device code");
    throw new ProviderError(`GitHub sign-in failed: ${why}. Check the OAuth client id.`, {
      provider: PROVIDER,
      kind: "auth",
    });
  }
  const expiresIn = typeof code.expires_in === "number" ? code.expires_in : 900;
  await options.onCode({
    userCode: code.user_code,
    verificationUri:
      typeof code.verification_uri === "string" ? code.verification_uri : `${base}/login/device`,
    expiresIn,
  });
  let intervalMs = (typeof code.interval === "number" ? code.interval : 5) * 1000;
  const deadline = Date.now() + expiresIn * 1000;
  for (;;) {
    await sleep(intervalMs, options.signal);
    const answer = await postJson(
      doFetch,
      `${base}/login/oauth/access_token`,
      {
        client_id: options.clientId,
        device_code: code.device_code,
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      },
      options.signal,
    );
    if (typeof answer.access_token === "string") {
      return {
        accessToken: answer.access_token,
        tokenType: typeof answer.token_type === "string" ? answer.token_type : "bearer",
        scope: typeof answer.scope === "string" ? answer.scope : "",
      };
    }
    switch (answer.error) {
      case "authorization_pending":
        break;
      case "slow_down":
        // GitHub sends the increased interval; RFC 8628 says add 5 s when it does not.
        intervalMs = typeof answer.interval === "number" ? answer.interval * 1000 : intervalMs + 5000;
        break;
      case "expired_token":
        throw new ProviderError("GitHub sign-in expired before it was approved; run the sign-in again.", {
          provider: PROVIDER,
          kind: "auth",
        });
      case "access_denied":
        throw new ProviderError("GitHub sign-in was denied by the user.", {
          provider: PROVIDER,
          kind: "auth",
        });
      default:
        throw new ProviderError(
          `GitHub sign-in failed: ${String(answer.error_description ?? answer.error)}.`,
          {
            provider: PROVIDER,
            kind: "auth",
          },
        );
    }
    if (Date.now() > deadline) {
      throw new ProviderError("GitHub sign-in expired before it was approved; run the sign-in again.", {
        provider: PROVIDER,
        kind: "auth",
      });
    }
  }
}
