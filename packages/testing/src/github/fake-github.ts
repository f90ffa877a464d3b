import http from "node:http";
import type { AddressInfo } from "node:net";
import { listenOnLoopback } from "../http/local-server.js";
import type { RecordedRequest } from "../openai/script.js";

export interface FakeGitHubOptions {
  /** The only OAuth client id the device flow accepts. */
  clientId: string;
  /** OAuth token issued by the device flow and accepted by the Copilot token endpoint. */
  accessToken: string;
  /** Copilot API base the token names (`endpoints.api`), e.g. a scripted OpenAI server's URL. */
  copilotApiURL: string;
  /** Device-flow polls answered `authorization_pending` before success (default 1). */
  pendingPolls?: number;
  /** Answer one poll with `slow_down` (with `interval: 0`) before success. */
  slowDown?: boolean;
  /** Final device-flow answer is `access_denied` / `expired_token` instead of a token. */
  deviceOutcome?: "token" | "access_denied" | "expired_token";
  /** Copilot token lifetime in seconds (default 1800). */
  copilotTokenTtl?: number;
  /** GitHub account without Copilot: the token endpoint answers 404. */
  noCopilot?: boolean;
}

export interface FakeGitHub {
  /** Base for both the OAuth endpoints (`/login/...`) and the API (`/copilot_internal/...`). */
  url: string;
  requests: RecordedRequest[];
  /** Copilot tokens issued so far. */
  issuedCopilotTokens: string[];
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A local fake of github.com's OAuth device flow (`POST /login/device/code`, `POST /login/oauth/access_token`)
 * and the Copilot token exchange (`GET /copilot_internal/v2/token`), with GitHub's answers and error codes.
 */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const issuedCopilotTokens: string[] = [];
  let polls = 0;
  let slowed = false;
  const deviceCode = "dc_0123456789";

  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (p: Buffer) => parts.push(p));
    req.on("end", () => {
      const raw = Buffer.concat(parts).toString("utf8");
      let body: Record<string, unknown> = {};
      const type = req.headers["content-type"] ?? "";
      try {
        if (raw)
          body = type.includes("json")
            ? (JSON.parse(raw) as Record<string, unknown>)
            : Object.fromEntries(new URLSearchParams(raw));
      } catch {
        return send(res, 400, { message: "Problems parsing JSON" });
      }
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      requests.push({ method: req.method ?? "GET", path, headers, body });

      if (req.method === "POST" && path === "/login/device/code") {
        if (body.client_id !== options.clientId)
          return send(res, 200, {
            error: "unauthorized_client",
            error_description: "The client_id is not valid.",
          });
        return send(res, 200, {
          device_code: deviceCode,
          user_code: "ABCD-1234",
          verification_uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/login/device`,
          expires_in: 900,
          interval: 0,
        });
      }
      if (req.method === "POST" && path === "/login/oauth/access_token") {
        if (body.client_id !== options.clientId)
          return send(res, 200, { error: "incorrect_client_credentials" });
        if (body.device_code !== deviceCode) return send(res, 200, { error: "bad_verification_code" });
        if (body.grant_type !== "urn:ietf:params:oauth:grant-type:device_code")
          return send(res, 200, { error: "unsupported_grant_type" });
        if (options.slowDown && !slowed) {
          slowed = true;
          return send(res, 200, { error: "slow_down", interval: 0 });
        }
        if (polls++ < (options.pendingPolls ?? 1)) return send(res, 200, { error: "authorization_pending" });
        const outcome = options.deviceOutcome ?? "token";
        if (outcome !== "token") return send(res, 200, { error: outcome });
        return send(res, 200, {
          access_token: options.accessToken,
          token_type: "bearer",
          scope: "read:user",
        });
      }
      if (req.method === "GET" && path === "/copilot_internal/v2/token") {
        if (req.headers.authorization !== `token ${options.accessToken}`)
          return send(res, 401, { message: "Bad credentials" });
        if (options.noCopilot) return send(res, 404, { message: "Not Found" });
        const ttl = options.copilotTokenTtl ?? 1800;
        const expires = Math.floor(Date.now() / 1000) + ttl;
        const token = `tid=fake;exp=${expires};n=${issuedCopilotTokens.length}`;
        issuedCopilotTokens.push(token);
        return send(res, 200, {
          token,
          expires_at: expires,
          refresh_in: ttl - 300,
          endpoints: { api: options.copilotApiURL },
        });
      }
      send(res, 404, { message: "Not Found" });
    });
  });
  return {
    url: await listenOnLoopback(server),
    requests,
    issuedCopilotTokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
