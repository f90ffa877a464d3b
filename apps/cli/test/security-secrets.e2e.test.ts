import fs from "node:fs/promises";
import path from "node:path";
import { startVaultFake, type VaultFake } from "@codetether/security/testing";
import {
  type FakeGitHub,
  type ScriptedOpenAI,
  startFakeGitHub,
  startScriptedOpenAI,
} from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { readTree, securityBox } from "./security-helpers.js";

let server: ScriptedOpenAI | undefined;
let vault: VaultFake | undefined;
let github: FakeGitHub | undefined;
afterEach(async () => {
  await server?.close();
  await vault?.close();
  await github?.close();
  server = vault = github = undefined;
});

const VAULT_TOKEN = "hvs.test-root-token-0123456789";

async function startVault() {
  vault = await startVaultFake();
  vault.tokens.set(VAULT_TOKEN, { paths: ["secret/"], ttl: 3600, renewable: true });
  return vault;
}

describe("provider secrets: Vault and the file store (built binary)", () => {
  it("config --set-provider stores the key in Vault; run authenticates with it; the key never leaks", async () => {
    const key = "sk-vault-only-key-0123456789abcdef";
    const fake = await startVault();
    server = await startScriptedOpenAI([
      { toolCalls: [{ name: "bash", arguments: { command: "echo step", description: "x" } }] },
      { text: "authenticated" },
    ]);
    const box = await securityBox();
    const env = { ...box.env, VAULT_ADDR: fake.url, VAULT_TOKEN };

    const set = await runCli(
      ["config", "--set-provider", "openai", "--api-key", "-", "--base-url", server.url],
      { cwd: box.work, env, input: `${key}\n` },
    );
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('stored settings for provider "openai" in vault');
    const stored = fake.kv.get("secret")?.get("codetether/providers/openai");
    expect(stored).toMatchObject({ api_key: key, base_url: server.url });
    // Nothing written to the local file store when Vault is configured.
    await expect(fs.access(path.join(box.configDir, "secrets.json"))).rejects.toThrow();

    const run = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "hello"], {
      cwd: box.work,
      env,
    });
    expect(run.code).toBe(0);
    const completions = server.requests.filter((r) => r.path.endsWith("/chat/completions"));
    expect(completions.length).toBe(2);
    for (const r of completions) expect(r.headers.authorization).toBe(`Bearer ${key}`);
    expect(fake.requests.some((r) => r.path === "/v1/secret/data/codetether/providers/openai")).toBe(true);

    const everything = [
      set.stdout,
      set.stderr,
      run.stdout,
      run.stderr,
      await readTree(box.sessionsDir),
      await readTree(box.auditDir),
    ].join("\n");
    expect(everything).toContain("authenticated");
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(VAULT_TOKEN);
  });

  it("without Vault: the key goes to a 0600 file store and is used; literal keys and bad input are refused", async () => {
    const key = "sk-file-store-key-0123456789abcdef";
    server = await startScriptedOpenAI([{ text: "from file store" }]);
    const box = await securityBox();
    const env = box.env;

    const literal = await runCli(["config", "--set-provider", "openai", "--api-key", key], {
      cwd: box.work,
      env,
    });
    expect(literal.code).toBe(2);
    expect(literal.stderr).toContain("--api-key takes '-'");
    expect(literal.stdout + literal.stderr).not.toContain(key);

    const badName = await runCli(["config", "--set-provider", "../etc", "--api-key", "-"], {
      cwd: box.work,
      env,
      input: key,
    });
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain("invalid provider name");

    const empty = await runCli(["config", "--set-provider", "openai", "--api-key", "-"], {
      cwd: box.work,
      env,
      input: "\n",
    });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("no API key on standard input");

    const set = await runCli(
      ["config", "--set-provider", "openai", "--api-key", "-", "--base-url", server.url],
      { cwd: box.work, env, input: key },
    );
    expect(set.code).toBe(0);
    const file = path.join(box.configDir, "secrets.json");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);

    const run = await runCli(["run", "--model", "openai/gpt-4o", "hi"], { cwd: box.work, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("from file store");
    expect(server.requests.find((r) => r.path.endsWith("/chat/completions"))?.headers.authorization).toBe(
      `Bearer ${key}`,
    );
    expect(run.stdout + run.stderr + set.stdout + (await readTree(box.sessionsDir))).not.toContain(key);

    const noToken = await runCli(["run", "--model", "openai/gpt-4o", "hi"], {
      cwd: box.work,
      env: { ...env, VAULT_ADDR: "http://127.0.0.1:1" },
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("VAULT_TOKEN is not");

    // Vault down: one clear line naming Vault, never the token.
    const down = await runCli(["run", "--model", "openai/gpt-4o", "hi"], {
      cwd: box.work,
      env: { ...env, VAULT_ADDR: "http://127.0.0.1:1", VAULT_TOKEN },
    });
    expect(down.code).toBe(1);
    expect(down.stderr.match(/cannot read provider secrets from vault/g)).toHaveLength(1);
    expect(down.stderr).toContain("cannot reach Vault");
    expect(down.stderr).not.toContain(VAULT_TOKEN);
  });

  it("auth copilot runs the device flow and stores the token in the secret store, never printing it", async () => {
    const token = "gho_device-flow-token-0123456789";
    server = await startScriptedOpenAI([{ text: "copilot" }]);
    github = await startFakeGitHub({ clientId: "Iv1.test", accessToken: token, copilotApiURL: server.url });
    const box = await securityBox();
    const env = { ...box.env, CODETETHER_GITHUB_URL: github.url };

    const missing = await runCli(["auth", "copilot"], { cwd: box.work, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--client-id");

    const res = await runCli(["auth", "copilot", "--client-id", "Iv1.test"], { cwd: box.work, env });
    expect(res.stderr).not.toContain("error");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/enter the code/);
    expect(res.stdout + res.stderr).not.toContain(token);
    const secrets = JSON.parse(await fs.readFile(path.join(box.configDir, "secrets.json"), "utf8"));
    expect(JSON.stringify(secrets)).toContain(token);
    expect((await fs.stat(path.join(box.configDir, "secrets.json"))).mode & 0o777).toBe(0o600);

    // With Vault configured the token goes to Vault instead.
    const fake = await startVault();
    const viaVault = await runCli(["auth", "copilot", "--client-id", "Iv1.test"], {
      cwd: box.work,
      env: { ...env, VAULT_ADDR: fake.url, VAULT_TOKEN },
    });
    expect(viaVault.code).toBe(0);
    expect(viaVault.stderr).toContain("token stored in vault");
    expect(fake.kv.get("secret")?.get("codetether/providers/github-copilot")).toMatchObject({
      api_key: token,
    });

    const denied = await startFakeGitHub({
      clientId: "Iv1.test",
      accessToken: token,
      copilotApiURL: server.url,
      deviceOutcome: "access_denied",
    });
    try {
      const no = await runCli(["auth", "copilot", "--client-id", "Iv1.test"], {
        cwd: box.work,
        env: { ...env, CODETETHER_GITHUB_URL: denied.url },
      });
      expect(no.code).toBe(1);
    } finally {
      await denied.close();
    }
  });
});
