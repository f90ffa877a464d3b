import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";

describe("codetether CLI basics", () => {
  it("prints its version and help, exit 0", async () => {
    const { work, env } = await makeSandbox();
    const version = await runCli(["--version"], { cwd: work, env });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(["--help"], { cwd: work, env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("run");
  });

  it("exits 2 on usage errors", async () => {
    const { work, env } = await makeSandbox();
    expect((await runCli(["nope"], { cwd: work, env })).code).toBe(2);
    expect((await runCli(["run", "--max-steps", "zero", "x"], { cwd: work, env })).code).toBe(2);
    const empty = await runCli(["run"], { cwd: work, env, input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("No prompt given");
  });

  it("names the file and key of an invalid config", async () => {
    const { work, env } = await makeSandbox();
    await fs.writeFile(
      path.join(work, "codetether.toml"),
      'default_model = "no-slash"\n[agent]\nmax_steps = -1\n',
    );
    const res = await runCli(["run", "hello"], { cwd: work, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(path.join(work, "codetether.toml"));
    expect(res.stderr).toContain("default_model");
    expect(res.stderr).toContain("agent.max_steps");
  });

  it("config --set validates, writes atomically, and --show reports sources with secrets masked", async () => {
    const { work, env } = await makeSandbox();
    const bad = await runCli(["config", "--set", "ui.theme=neon"], { cwd: work, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("ui.theme");
    const ok = await runCli(
      [
        "config",
        "--set",
        "ui.theme=dark",
        "--set",
        "providers.openai.api_key=sk-test-1234567890abcd",
        "--set",
        "agent.max_steps=7",
      ],
      { cwd: work, env },
    );
    expect(ok.code).toBe(0);
    const show = await runCli(["config", "--show"], { cwd: work, env });
    expect(show.stdout).toContain('ui.theme = "dark"');
    expect(show.stdout).toContain("agent.max_steps = 7");
    expect(show.stdout).toContain("****abcd");
    expect(show.stdout).not.toContain("sk-test-1234567890abcd");
    const unset = await runCli(["config", "--unset", "ui.theme"], { cwd: work, env });
    expect(unset.code).toBe(0);
    const after = await runCli(["config", "--show", "--json"], { cwd: work, env });
    expect(JSON.parse(after.stdout).config.ui.theme).toBe("marketing");
  });
});
