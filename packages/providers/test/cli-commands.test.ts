import { ConfigSchema } from "@codetether/core";
import { startFakeGitHub } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { runCopilotAuthCommand, runModelsCommand } from "../src/cli-commands.js";
import { createProviderRegistry } from "../src/create-registry.js";
import { captureIO } from "./capture-io.js";

describe("runCopilotAuthCommand", () => {
  it("shows the code, stores the token and never prints it", async () => {
    const github = await startFakeGitHub({
      clientId: "cid",
      accessToken: "gho_secret_token",
      copilotApiURL: "https://x",
    });
    try {
      const stored: unknown[] = [];
      const { out, io } = captureIO();
      const code = await runCopilotAuthCommand(
        {
          env: { CODETETHER_COPILOT_OAUTH_CLIENT_ID: "cid" },
          githubURL: github.url,
          store: async (s) => void stored.push(s),
        },
        io,
      );
      expect(code).toBe(0);
      expect(stored).toEqual([{ api_key: "gho_secret_token" }]);
      expect(out.stdout).toContain("ABCD-1234");
      expect(out.stdout + out.stderr).not.toContain("gho_secret_token");
    } finally {
      await github.close();
    }
  });

  it("exit 2 without a client id, exit 1 when sign-in is denied", async () => {
    const none = captureIO();
    expect(await runCopilotAuthCommand({ env: {}, store: async () => {} }, none.io)).toBe(2);
    expect(none.out.stderr).toContain("--client-id");
    const github = await startFakeGitHub({
      clientId: "cid",
      accessToken: "t",
      copilotApiURL: "https://x",
      deviceOutcome: "access_denied",
    });
    try {
      const denied = captureIO();
      expect(
        await runCopilotAuthCommand(
          { clientId: "cid", githubURL: github.url, store: async () => {} },
          denied.io,
        ),
      ).toBe(1);
      expect(denied.out.stderr).toContain("denied");
    } finally {
      await github.close();
    }
  });
});

describe("runModelsCommand", () => {
  it("lists configured providers' models as a table or JSON lines", async () => {
    const config = ConfigSchema.parse({
      providers: { deepseek: { models: { "deepseek-chat": { input_price: 0.5 } } } },
    });
    const registry = await createProviderRegistry({ config, env: { DEEPSEEK_API_KEY: "d" } });
    const table = captureIO();
    expect(await runModelsCommand({ registry, config }, table.io)).toBe(0);
    expect(table.out.stdout.split("\n")[0]).toMatch(/^MODEL\s+CONTEXT/);
    expect(table.out.stdout).toMatch(/deepseek\/deepseek-chat\s+128k\s+8k\s+yes\s+no\s+\$0\.5\s+\$0\.42/);
    const json = captureIO();
    await runModelsCommand({ registry, json: true, provider: "deepseek" }, json.io);
    const lines = json.out.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((l) => l.id)).toEqual(["deepseek-chat", "deepseek-reasoner"]);
    const bad = captureIO();
    expect(await runModelsCommand({ registry, provider: "nope" }, bad.io)).toBe(2);
    expect(bad.out.stderr).toContain("Configured: deepseek");
  });
});
