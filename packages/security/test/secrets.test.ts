import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  configSetProvider,
  createSecretStore,
  EnvSecretStore,
  FileSecretStore,
  VaultSecretStore,
} from "../src/index.js";
import { startVaultFake, type VaultFake } from "./fixtures/vault-fake.js";
import { tempDir } from "./helpers.js";

const TOKEN = "hvs.CAESIFakeVaultTokenForTests0123456789";
const KEY = "sk-test-ABCDEFGHIJKLMNOPQRSTUVWX0123";
let fake: VaultFake | undefined;
const stores: { close(): void }[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await fake?.close();
  fake = undefined;
});

async function vault(tokenPaths = ["secret/"], ttl = 3600) {
  fake = await startVaultFake(["secret", "kv"]);
  fake.tokens.set(TOKEN, { paths: tokenPaths, ttl, renewable: true });
  const providers = fake.kv.get("secret")!;
  providers.set("codetether/providers/openai", {
    api_key: KEY,
    base_url: "http://127.0.0.1:1/v1",
    org: "o-1",
  });
  providers.set("codetether/providers/anthropic", {
    api_key: "sk-ant-xxxxxxxxxxxxxxxxxxxxxxxx",
    headers: { "x-a": "b" },
  });
  providers.set("codetether/providers/nested/deeper", { api_key: "n" });
  providers.set("other/thing", { api_key: "not-listed" });
  return fake;
}

const collectErrors = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
};

describe("VaultSecretStore (KV v2 via node-vault)", () => {
  it("lists configured providers from metadata and reads data with extra fields", async () => {
    const f = await vault();
    const store = new VaultSecretStore({ address: f.url, token: TOKEN, renewToken: false });
    stores.push(store);
    expect(await store.list()).toEqual(["anthropic", "openai"]);
    expect(await store.get("openai")).toEqual({
      api_key: KEY,
      base_url: "http://127.0.0.1:1/v1",
      org: "o-1",
    });
    expect((await store.get("anthropic"))?.headers).toEqual({ "x-a": "b" });
    expect(await store.get("missing")).toBeUndefined();
    expect(f.requests.every((r) => r.token === TOKEN)).toBe(true);
  });

  it("caches reads for the TTL", async () => {
    const f = await vault();
    const store = new VaultSecretStore({
      address: f.url,
      token: TOKEN,
      renewToken: false,
      cacheTtlMs: 60_000,
    });
    stores.push(store);
    await store.get("openai");
    await store.get("openai");
    expect(f.requests.filter((r) => r.path.endsWith("/openai"))).toHaveLength(1);
    const uncached = new VaultSecretStore({ address: f.url, token: TOKEN, renewToken: false, cacheTtlMs: 0 });
    stores.push(uncached);
    await uncached.get("openai");
    await uncached.get("openai");
    expect(f.requests.filter((r) => r.path.endsWith("/openai"))).toHaveLength(3);
  });

  it("uses VAULT_MOUNT and VAULT_SECRETS_PATH, and writes through set()", async () => {
    const f = await vault(["kv/"]);
    const store = createSecretStore({
      VAULT_ADDR: f.url,
      VAULT_TOKEN: TOKEN,
      VAULT_MOUNT: "kv",
      VAULT_SECRETS_PATH: "team/llm",
    });
    stores.push(store);
    expect(store.kind).toBe("vault");
    expect(await store.list()).toEqual([]);
    await store.set("openai", { api_key: KEY });
    expect(f.kv.get("kv")!.get("team/llm/openai")).toEqual({ api_key: KEY });
    expect(await store.list()).toEqual(["openai"]);
    expect(await store.get("openai")).toEqual({ api_key: KEY });
  });

  it("403 (bad token or outside policy) gives a clear error without the token or keys", async () => {
    const f = await vault(["secret/data/codetether/providers/openai"]);
    const store = new VaultSecretStore({ address: f.url, token: TOKEN, renewToken: false });
    stores.push(store);
    expect((await store.get("openai"))?.api_key).toBe(KEY);
    const denied = await collectErrors(() => store.get("anthropic"));
    expect(denied.message).toMatch(
      /could not read secret\/codetether\/providers\/anthropic: permission denied/,
    );
    const wrongToken = new VaultSecretStore({
      address: f.url,
      token: "hvs.wrong-token-wrong-token-1234",
      renewToken: false,
    });
    stores.push(wrongToken);
    const err = await collectErrors(() => wrongToken.list());
    expect(err.message).toMatch(/permission denied/);
    for (const e of [denied, err]) {
      const dump = JSON.stringify(e, Object.getOwnPropertyNames(e)) + String(e.stack);
      expect(dump).not.toContain(TOKEN);
      expect(dump).not.toContain("wrong-token");
      expect(dump).not.toContain(KEY);
    }
  });

  it("connection failures name the address, not the token", async () => {
    const f = await vault();
    const url = f.url;
    await f.close();
    fake = undefined;
    const store = new VaultSecretStore({ address: url, token: TOKEN, renewToken: false });
    stores.push(store);
    const err = await collectErrors(() => store.get("openai"));
    expect(err.message).toMatch(/cannot reach Vault at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain(TOKEN);
  });

  it("renews the token with renew-self before it expires", async () => {
    const f = await vault(["secret/"], 1);
    const store = new VaultSecretStore({ address: f.url, token: TOKEN });
    stores.push(store);
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect(f.renewals).toBeGreaterThanOrEqual(2);
    expect(f.requests.some((r) => r.path === "/v1/auth/token/lookup-self")).toBe(true);
    expect(await store.renewToken()).toBe(1);
    store.close();
    const after = f.renewals;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(f.renewals).toBe(after);
  });

  it("rejects provider names that would escape the secrets path", async () => {
    const f = await vault();
    const store = new VaultSecretStore({ address: f.url, token: TOKEN, renewToken: false });
    stores.push(store);
    await expect(store.get("../other/thing")).rejects.toThrow(/invalid provider name/);
    await expect(store.get("a/b")).rejects.toThrow(/invalid provider name/);
  });
});

describe("EnvSecretStore, FileSecretStore, createSecretStore", () => {
  it("reads <NAME>_API_KEY, aliases and <NAME>_BASE_URL; is read-only", async () => {
    const store = new EnvSecretStore({
      OPENAI_API_KEY: KEY,
      GEMINI_API_KEY: "g-key",
      MY_LLM_BASE_URL: "http://x",
      CODETETHER_AUTH_TOKEN: "t",
    });
    expect(await store.get("openai")).toEqual({ api_key: KEY });
    expect(await store.get("google")).toEqual({ api_key: "g-key" });
    expect(await store.get("my-llm")).toEqual({ base_url: "http://x" });
    expect(await store.get("anthropic")).toBeUndefined();
    expect(await store.list()).toEqual(["gemini", "google", "openai"]);
    await expect(store.set("openai", { api_key: "x" })).rejects.toThrow(
      /configure Vault or use the file store/,
    );
  });

  it("file store writes 0600 atomically and never echoes content in errors", async () => {
    const dir = tempDir();
    const store = new FileSecretStore(dir);
    await store.set("openai", { api_key: KEY, headers: { h: "v" } });
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
    expect(await store.get("openai")).toEqual({ api_key: KEY, headers: { h: "v" } });
    expect(await store.get("toString")).toBeUndefined();
    expect(await store.list()).toEqual(["openai"]);
    fs.writeFileSync(store.file, `{"providers": {"openai": {"api_key": "${KEY}"`);
    const err = await collectErrors(() => store.get("openai"));
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).not.toContain(KEY);
  });

  it("without Vault: environment first, then file; writes go to the file", async () => {
    const dir = tempDir();
    const store = createSecretStore({ OPENAI_API_KEY: KEY }, { configDir: dir });
    await store.set("openai", { api_key: "file-key", base_url: "http://file" });
    await store.set("mistral", { api_key: "m-key" });
    expect(await store.get("openai")).toEqual({ api_key: KEY, base_url: "http://file" });
    expect(await store.list()).toEqual(["mistral", "openai"]);
    expect(() => createSecretStore({ VAULT_ADDR: "http://127.0.0.1:1" })).toThrow(/VAULT_TOKEN is not/);
  });

  it("configSetProvider reads the key from stdin and never prints it", async () => {
    const dir = tempDir();
    let out = "";
    let err = "";
    const io = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      env: {},
    };
    async function* stdin() {
      yield `${KEY}\n`;
    }
    expect(await configSetProvider({ name: "openai", apiKey: "-", stdin: stdin(), configDir: dir }, io)).toBe(
      0,
    );
    expect(JSON.parse(fs.readFileSync(path.join(dir, "secrets.json"), "utf8")).providers.openai.api_key).toBe(
      KEY,
    );
    expect(out).toMatch(/stored settings for provider "openai" in file/);
    expect(out + err).not.toContain(KEY);
    expect(await configSetProvider({ name: "../x", apiKey: KEY, configDir: dir }, io)).toBe(1);
    expect(err).toMatch(/invalid provider name/);
    expect(err).not.toContain(KEY);
  });

  it("configSetProvider writes to Vault when configured", async () => {
    const f = await vault();
    const io = {
      stdout: { write: () => true },
      stderr: { write: () => true },
      env: { VAULT_ADDR: f.url, VAULT_TOKEN: TOKEN },
    };
    expect(await configSetProvider({ name: "groq", apiKey: "gsk-123" }, io)).toBe(0);
    expect(f.kv.get("secret")!.get("codetether/providers/groq")).toEqual({ api_key: "gsk-123" });
  });
});
