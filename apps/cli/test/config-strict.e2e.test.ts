import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";

// Configuration mistakes are usage errors (exit 2) that say what is wrong, where, and what was probably meant;
// nothing is silently ignored or created.

const userConfig = (dir: string) => path.join(dir, "config", "codetether", "config.toml");
const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o777;

describe("strict configuration (built binary)", () => {
  it("an unknown section in codetether.toml is exit 2 naming the file, the key and the closest valid key", async () => {
    const { work, env } = await makeSandbox();
    const file = path.join(work, "codetether.toml");
    await fs.writeFile(file, "[sandobx]\nenabled = true\n");
    const res = await runCli(["run", "hello"], { cwd: work, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(file);
    expect(res.stderr).toContain("sandobx");
    expect(res.stderr).toContain("did you mean `sandbox`?");
  });

  it("an unknown nested key in the user config is exit 2 with the suggestion", async () => {
    const { dir, work, env } = await makeSandbox();
    await fs.mkdir(path.dirname(userConfig(dir)), { recursive: true });
    await fs.writeFile(userConfig(dir), "[agent]\nmax_step = 3\n");
    const res = await runCli(["config", "--show"], { cwd: work, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(userConfig(dir));
    expect(res.stderr).toContain("did you mean `agent.max_steps`?");
  });

  it("config --set with an unknown key is exit 2 with the suggestion and writes nothing", async () => {
    const { dir, work, env } = await makeSandbox();
    const res = await runCli(["config", "--set", "agent.max_step=3"], { cwd: work, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("agent.max_step");
    expect(res.stderr).toContain("did you mean `agent.max_steps`?");
    expect(res.stdout).not.toContain("Updated");
    await expect(fs.access(userConfig(dir))).rejects.toThrow();

    const section = await runCli(["config", "--set", "sandobx.enabled=true"], { cwd: work, env });
    expect(section.code).toBe(2);
    expect(section.stderr).toContain("did you mean `sandbox`?");
  });

  it("config --unset can still repair a file that no longer loads", async () => {
    const { dir, work, env } = await makeSandbox();
    await fs.mkdir(path.dirname(userConfig(dir)), { recursive: true });
    await fs.writeFile(userConfig(dir), "[agent]\nmax_step = 3\n");
    const fix = await runCli(["config", "--unset", "agent.max_step"], { cwd: work, env });
    expect(fix.code).toBe(0);
    expect((await runCli(["config", "--show"], { cwd: work, env })).code).toBe(0);
  });

  it("--cwd to a missing directory is exit 2 and creates nothing", async () => {
    const { dir, work, env } = await makeSandbox();
    const missing = path.join(dir, "does", "not", "exist");
    for (const command of [
      ["run", "--cwd", missing, "hello"],
      ["tui", "--cwd", missing],
    ]) {
      const res = await runCli(command, { cwd: work, env: { ...env, OPENAI_API_KEY: "sk-test" } });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(missing);
      await expect(fs.access(path.join(dir, "does"))).rejects.toThrow();
    }
  });

  it("an unknown provider, a provider without a key and a too-short server token are exit 2", async () => {
    const { work, env } = await makeSandbox();
    const unknown = await runCli(["run", "-m", "nope/model", "hello"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test" },
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"nope"');

    const noKey = await runCli(["run", "-m", "anthropic/claude-sonnet-4-20250514", "hello"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test" },
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("ANTHROPIC_API_KEY");

    const token = await runCli(["serve", "--port", "0", "-m", "openai/gpt-4o"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", CODETETHER_AUTH_TOKEN: "short" },
    });
    expect(token.code).toBe(2);
    expect(token.stderr).toContain("CODETETHER_AUTH_TOKEN");
  });

  it("a config file that holds a secret is written 0600 (user and project)", async () => {
    const { dir, work, env } = await makeSandbox();
    await fs.mkdir(path.dirname(userConfig(dir)), { recursive: true });
    await fs.writeFile(userConfig(dir), '[ui]\ntheme = "dark"\n', { mode: 0o644 });
    await fs.chmod(userConfig(dir), 0o644);
    const set = await runCli(["config", "--set", "providers.openai.api_key=sk-secret-0123456789"], {
      cwd: work,
      env,
    });
    expect(set.code).toBe(0);
    expect(await modeOf(userConfig(dir))).toBe(0o600);

    const header = await runCli(
      ["config", "--project", "--set", 'providers.x.headers={ Authorization = "Bearer abc" }'],
      {
        cwd: work,
        env,
      },
    );
    expect(header.code).toBe(0);
    expect(await modeOf(path.join(work, "codetether.toml"))).toBe(0o600);
  });
});
