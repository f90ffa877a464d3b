import { collectStream, ProviderError, textMessage } from "@codetether/core";
import { startFakeGitHub, startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { runCopilotDeviceFlow } from "../src/copilot/copilot-device-flow.js";
import { createCopilotProvider, exchangeCopilotToken } from "../src/copilot/github-copilot.js";
import { createProviderRegistry } from "../src/create-registry.js";

const CLIENT = "Iv1.testclient";
const OAUTH = "gho_local_fake_token";

describe("GitHub Copilot", () => {
  it("device flow → token exchange → chat with Copilot headers", async () => {
    const chat = await startScriptedOpenAI([{ text: "hi from copilot" }, { text: "again" }]);
    const github = await startFakeGitHub({
      clientId: CLIENT,
      accessToken: OAUTH,
      copilotApiURL: chat.url,
      pendingPolls: 2,
      slowDown: true,
    });
    try {
      const codes: string[] = [];
      const token = await runCopilotDeviceFlow({
        clientId: CLIENT,
        githubURL: github.url,
        onCode: (c) => {
          codes.push(`${c.userCode} ${c.verificationUri}`);
        },
      });
      expect(token.accessToken).toBe(OAUTH);
      expect(codes[0]).toMatch(/^ABCD-1234 http:\/\/127\.0\.0\.1:\d+\/login\/device$/);

      const provider = createCopilotProvider({ githubToken: token.accessToken, githubApiURL: github.url });
      const out = await collectStream(
        provider.stream({ model: "gpt-4.1", messages: [textMessage("user", "x")] }),
      );
      expect(out.message.content).toEqual([{ type: "text", text: "hi from copilot" }]);
      await collectStream(provider.stream({ model: "gpt-4.1", messages: [textMessage("user", "y")] }));
      expect(github.issuedCopilotTokens).toHaveLength(1); // cached until close to expiry
      const headers = chat.requests[0]?.headers ?? {};
      expect(headers.authorization).toBe(`Bearer ${github.issuedCopilotTokens[0]}`);
      expect(headers["editor-version"]).toBeDefined();
      expect(headers["copilot-integration-id"]).toBe("vscode-chat");
      const exchange = github.requests.find((r) => r.path === "/copilot_internal/v2/token");
      expect(exchange?.headers.authorization).toBe(`token ${OAUTH}`);
    } finally {
      await github.close();
      await chat.close();
    }
  });

  it("refreshes the Copilot token when it is about to expire", async () => {
    const chat = await startScriptedOpenAI([{ text: "a" }, { text: "b" }]);
    const github = await startFakeGitHub({
      clientId: CLIENT,
      accessToken: OAUTH,
      copilotApiURL: chat.url,
      copilotTokenTtl: 30,
    });
    try {
      const provider = createCopilotProvider({ githubToken: OAUTH, githubApiURL: github.url });
      await collectStream(provider.stream({ model: "m", messages: [textMessage("user", "1")] }));
      await collectStream(provider.stream({ model: "m", messages: [textMessage("user", "2")] }));
      expect(github.issuedCopilotTokens).toHaveLength(2);
      expect(chat.requests[1]?.headers.authorization).toBe(`Bearer ${github.issuedCopilotTokens[1]}`);
    } finally {
      await github.close();
      await chat.close();
    }
  });

  it("a rejected GitHub token is an auth error telling the user to sign in again", async () => {
    const github = await startFakeGitHub({
      clientId: CLIENT,
      accessToken: OAUTH,
      copilotApiURL: "http://127.0.0.1:9",
    });
    try {
      const err = await exchangeCopilotToken({ githubToken: "gho_revoked", githubApiURL: github.url }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ kind: "auth", status: 401 });
      expect((err as Error).message).toMatch(/^invalid API key for github-copilot.*codetether auth copilot/);
      expect((err as Error).message).not.toContain("gho_revoked");
    } finally {
      await github.close();
    }
  });

  it("an account without Copilot gets a clear error", async () => {
    const github = await startFakeGitHub({
      clientId: CLIENT,
      accessToken: OAUTH,
      copilotApiURL: "http://127.0.0.1:9",
      noCopilot: true,
    });
    try {
      const provider = createCopilotProvider({ githubToken: OAUTH, githubApiURL: github.url });
      await expect(
        collectStream(provider.stream({ model: "m", messages: [textMessage("user", "x")] })),
      ).rejects.toThrow(/no Copilot access/);
    } finally {
      await github.close();
    }
  });

  it("device flow reports denial, a wrong client id, and a missing client id", async () => {
    const github = await startFakeGitHub({
      clientId: CLIENT,
      accessToken: OAUTH,
      copilotApiURL: "x",
      deviceOutcome: "access_denied",
    });
    try {
      await expect(
        runCopilotDeviceFlow({ clientId: CLIENT, githubURL: github.url, onCode: () => {} }),
      ).rejects.toThrow(/denied/);
      await expect(
        runCopilotDeviceFlow({ clientId: "wrong", githubURL: github.url, onCode: () => {} }),
      ).rejects.toThrow(/client_id is not valid/);
      await expect(
        runCopilotDeviceFlow({ clientId: " ", githubURL: github.url, onCode: () => {} }),
      ).rejects.toThrow(/CODETETHER_COPILOT_OAUTH_CLIENT_ID/);
    } finally {
      await github.close();
    }
  });

  it("device flow stops when aborted", async () => {
    const github = await startFakeGitHub({
      clientId: CLIENT,
      accessToken: OAUTH,
      copilotApiURL: "x",
      pendingPolls: 1_000_000,
    });
    try {
      const controller = new AbortController();
      const run = runCopilotDeviceFlow({
        clientId: CLIENT,
        githubURL: github.url,
        onCode: () => {},
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 50);
      await expect(run).rejects.toMatchObject({ name: "AbortError" });
    } finally {
      await github.close();
    }
  });

  it("refuses to send the Copilot token to a non-https endpoint named by the token response", async () => {
    for (const endpoint of [
      "http://evil.example.com",
      "javascript:alert(1)",
      "https://user:pw@api.example.com",
    ]) {
      const github = await startFakeGitHub({ clientId: CLIENT, accessToken: OAUTH, copilotApiURL: endpoint });
      try {
        const err = await exchangeCopilotToken({ githubToken: OAUTH, githubApiURL: github.url }).catch(
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ProviderError);
        expect((err as Error).message).toContain("refusing to send the Copilot token");
        expect((err as Error).message).not.toContain(github.issuedCopilotTokens[0] ?? "never");
      } finally {
        await github.close();
      }
    }
  });

  it("config github_api_url points the token exchange at another GitHub API; a non-https one is refused", async () => {
    const chat = await startScriptedOpenAI([{ text: "via enterprise" }]);
    const github = await startFakeGitHub({ clientId: CLIENT, accessToken: OAUTH, copilotApiURL: chat.url });
    try {
      const registry = await createProviderRegistry({
        config: { providers: { "github-copilot": { api_key: OAUTH, github_api_url: github.url } } },
        env: {},
      });
      const { provider, model } = registry.resolve("github-copilot/gpt-4.1");
      const out = await collectStream(provider.stream({ model, messages: [textMessage("user", "x")] }));
      expect(out.message.content).toEqual([{ type: "text", text: "via enterprise" }]);
      expect(github.issuedCopilotTokens).toHaveLength(1);

      const before = github.requests.length;
      for (const unsafe of ["http://evil.example.com", "https://user:pw@api.example.com"]) {
        const err = await exchangeCopilotToken({ githubToken: OAUTH, githubApiURL: unsafe }).catch(
          (e: unknown) => e,
        );
        expect((err as Error).message).toContain("refusing to send the GitHub token");
        expect((err as Error).message).toContain("github_api_url");
        expect((err as Error).message).not.toContain(OAUTH);
      }
      expect(github.requests.length).toBe(before);
    } finally {
      await github.close();
      await chat.close();
    }
  });
});
