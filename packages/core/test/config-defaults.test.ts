import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { ConfigSchema, lazySchemaBuilds, loadConfig } from "../src/index.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-config-defaults-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const env = { HOME: dir, XDG_CONFIG_HOME: path.join(dir, "config"), XDG_DATA_HOME: path.join(dir, "data") };

it("with no file and no environment, loadConfig gives the schema's defaults without building the schema", () => {
  const before = lazySchemaBuilds();
  const loaded = loadConfig({ cwd: dir, env });
  expect(lazySchemaBuilds()).toBe(before);
  expect(loaded.layers).toEqual([]);
  // Same values and the same key order as the schema's own defaults (`config --show` prints in this order).
  expect(JSON.stringify(loaded.config)).toBe(JSON.stringify(ConfigSchema.parse({})));
  // Every call gets its own copy.
  loaded.config.permissions.rules.push({ tool: "bash", action: "deny" });
  expect(loadConfig({ cwd: dir, env }).config.permissions.rules).toEqual([]);
});

it("a config file or an environment variable still goes through the schema", () => {
  const file = path.join(dir, "config.toml");
  fs.writeFileSync(file, "[agent]\nmax_steps = 7\n");
  expect(loadConfig({ cwd: dir, env, userFile: file }).config.agent).toEqual({
    max_steps: 7,
    request_timeout_ms: 600_000,
    max_retries: 4,
  });
  expect(
    loadConfig({ cwd: dir, env: { ...env, CODETETHER_DEFAULT_MODEL: "openai/gpt-4o" } }).config.default_model,
  ).toBe("openai/gpt-4o");
});
