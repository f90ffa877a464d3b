import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectKnownSecrets } from "../src/index.js";

describe("collectKnownSecrets (what `export` masks without building a runtime)", () => {
  it("has the environment's, the config's and the secret store's values, never base_url", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-runtime-secrets-"));
    const configDir = path.join(dir, "config", "codetether");
    await fs.mkdir(configDir, { recursive: true });
    await fs.writeFile(
      path.join(configDir, "config.toml"),
      '[providers.anthropic]\napi_key = "config-key-aaaaaaaa"\n',
    );
    await fs.writeFile(
      path.join(configDir, "secrets.json"),
      JSON.stringify({
        providers: {
          openai: {
            api_key: "sk-store-bbbbbbbb",
            base_url: "https://example.invalid/v1",
            headers: { "x-team-token": "header-token-cccccccc" },
          },
        },
      }),
      { mode: 0o600 },
    );
    const env = {
      HOME: dir,
      XDG_CONFIG_HOME: path.join(dir, "config"),
      XDG_DATA_HOME: path.join(dir, "data"),
      MY_SERVICE_TOKEN: "env-token-dddddddd",
      EDITOR: "vim-not-a-secret",
    };
    const values = await collectKnownSecrets(dir, env);
    expect(values).toEqual(
      expect.arrayContaining([
        "config-key-aaaaaaaa",
        "sk-store-bbbbbbbb",
        "header-token-cccccccc",
        "env-token-dddddddd",
      ]),
    );
    expect(values).not.toContain("https://example.invalid/v1");
    expect(values).not.toContain("vim-not-a-secret");
  });

  it("an invalid config or an unreadable store adds nothing instead of failing", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-runtime-secrets-"));
    const configDir = path.join(dir, "config", "codetether");
    await fs.mkdir(configDir, { recursive: true });
    await fs.writeFile(path.join(configDir, "config.toml"), "not = [valid");
    await fs.writeFile(path.join(configDir, "secrets.json"), "{ broken");
    const env = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, "config"), OPENAI_API_KEY: "sk-env-eeeeeeee" };
    expect(await collectKnownSecrets(dir, env)).toEqual(["sk-env-eeeeeeee"]);
  });
});
