import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { bash, sandboxUsable } from "./sandbox-helpers.js";
import { useScriptedModels } from "./scripted-openai.js";
import { securityBox } from "./security-helpers.js";

/**
 * `[shell_environment_policy]`: the environment of the commands the model runs. Real CLI, scripted model; bash dumps
 * `env` into the workspace (a file, not the tool output: output redaction would hide a leaked value and prove
 * nothing about the variable reaching the command).
 */
const scripted = useScriptedModels();
const M = ["--model", "openai/gpt-4o"];

/** Variables of codetether's own environment that a command must or must not get. */
const HOST_ENV = {
  ACME_DEPLOY_TOKEN: "tok-deploy-5a6b7c8d",
  CORP_DB_URL: "postgres://db.corp.internal/prod",
  PROJ_LOCAL_CRED: "proj-cred-1f2e3d4c",
  HARMLESS_SETTING: "keep-me",
};

async function box(userToml: string, projectToml?: string) {
  const b = await securityBox();
  await fs.mkdir(b.configDir, { recursive: true });
  await fs.writeFile(path.join(b.configDir, "config.toml"), userToml);
  if (projectToml !== undefined) await fs.writeFile(path.join(b.work, "codetether.toml"), projectToml);
  return b;
}

/** Runs `run` with a model that has bash write `env` to `env.txt`; returns the dump as a map, and the result. */
async function envSeenByBash(
  b: Awaited<ReturnType<typeof securityBox>>,
  extraEnv: Record<string, string> = {},
  turns?: Parameters<typeof scripted>[0],
) {
  const server = await scripted(
    turns ?? [{ toolCalls: [bash("env > env.txt; echo dumped")] }, { text: "done" }],
  );
  const res = await runCli(["run", "--yes", "--json", ...M, "show env"], {
    cwd: b.work,
    env: {
      ...b.env,
      ...HOST_ENV,
      ...extraEnv,
      OPENAI_API_KEY: "sk-test-0123456789",
      OPENAI_BASE_URL: server.url,
    },
  });
  const text = await fs.readFile(path.join(b.work, "env.txt"), "utf8").catch(() => "");
  const vars = new Map(
    text
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as [string, string]),
  );
  return { res, vars };
}

describe("shell environment policy (built binary, sandbox off)", () => {
  it("without the table, bash still inherits the whole environment (unchanged default)", async () => {
    const b = await box("");
    const { res, vars } = await envSeenByBash(b);
    expect(res.code, res.stderr).toBe(0);
    expect(vars.get("ACME_DEPLOY_TOKEN")).toBe(HOST_ENV.ACME_DEPLOY_TOKEN);
    expect(vars.get("HARMLESS_SETTING")).toBe("keep-me");
  });

  it("drops the default excludes and the configured ones, sets `set`, keeps the rest", async () => {
    const b = await box(
      '[shell_environment_policy]\nexclude = ["CORP_*"]\nset = { FROM_POLICY = "yes-set" }\n',
    );
    const { res, vars } = await envSeenByBash(b);
    expect(res.code, res.stderr).toBe(0);
    expect(vars.has("ACME_DEPLOY_TOKEN")).toBe(false);
    expect(vars.has("OPENAI_API_KEY")).toBe(false);
    expect(vars.has("CORP_DB_URL")).toBe(false);
    expect(vars.get("FROM_POLICY")).toBe("yes-set");
    expect(vars.get("HARMLESS_SETTING")).toBe("keep-me");
    expect(vars.get("PATH")).toBeTruthy();
  });

  it('inherit = "core" keeps only the core variables; include_only narrows further', async () => {
    const core = await envSeenByBash(await box('[shell_environment_policy]\ninherit = "core"\n'));
    expect(core.res.code, core.res.stderr).toBe(0);
    expect(core.vars.has("HARMLESS_SETTING")).toBe(false);
    expect(core.vars.has("CORP_DB_URL")).toBe(false);
    expect(core.vars.get("HOME")).toBeTruthy();
    const only = await envSeenByBash(
      await box('[shell_environment_policy]\ninclude_only = ["PATH", "HOME", "HARMLESS_*"]\n'),
    );
    expect(only.res.code, only.res.stderr).toBe(0);
    expect(only.vars.get("HARMLESS_SETTING")).toBe("keep-me");
    expect(only.vars.has("NO_COLOR")).toBe(false);
    expect(only.vars.has("CORP_DB_URL")).toBe(false);
  });

  it("applies to a task sub-agent's bash too", async () => {
    const b = await box('[shell_environment_policy]\nexclude = ["CORP_*"]\n');
    const { res, vars } = await envSeenByBash(b, {}, [
      { toolCalls: [{ name: "task", arguments: { description: "dump env", prompt: "dump env" } }] },
      { toolCalls: [bash("env > env.txt; echo dumped")] },
      { text: "sub-agent done" },
      { text: "done" },
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(vars.get("HARMLESS_SETTING")).toBe("keep-me");
    expect(vars.has("CORP_DB_URL")).toBe(false);
    expect(vars.has("ACME_DEPLOY_TOKEN")).toBe(false);
  });

  it("an untrusted project may only tighten it: its excludes add to yours, its `set` and loosening are ignored", async () => {
    const b = await box(
      '[shell_environment_policy]\nexclude = ["CORP_*"]\n',
      '[shell_environment_policy]\nexclude = ["PROJ_*"]\nignore_default_excludes = true\ninherit = "all"\n' +
        'set = { PATH = "/attacker/bin", LD_PRELOAD = "/attacker/evil.so" }\n',
    );
    const { res, vars } = await envSeenByBash(b);
    expect(res.code, res.stderr).toBe(0);
    expect(vars.has("PROJ_LOCAL_CRED")).toBe(false);
    expect(vars.has("CORP_DB_URL")).toBe(false);
    expect(vars.has("ACME_DEPLOY_TOKEN")).toBe(false);
    expect(vars.get("PATH")).not.toContain("/attacker");
    expect(vars.has("LD_PRELOAD")).toBe(false);
    expect(res.stderr).toContain("shell_environment_policy.ignore_default_excludes");
    expect(res.stderr).toContain("shell_environment_policy.set.PATH");
  });

  it("an untrusted project can switch it on (tighter than none), but cannot set variables", async () => {
    const b = await box("", '[shell_environment_policy]\ninherit = "core"\nset = { EVIL = "1" }\n');
    const { res, vars } = await envSeenByBash(b);
    expect(res.code, res.stderr).toBe(0);
    expect(vars.has("HARMLESS_SETTING")).toBe(false);
    expect(vars.has("ACME_DEPLOY_TOKEN")).toBe(false);
    expect(vars.has("EVIL")).toBe(false);
  });

  it("applies to a language server the lsp tool starts and to ralph's quality checks", async () => {
    const b = await box('[shell_environment_policy]\nexclude = ["CORP_*"]\n');
    await fs.writeFile(path.join(b.work, "a.ts"), "export const a = 1;\n");
    const spy = (name: string) => `#!/bin/sh\nenv > "${name}-env.txt"\nexit 0\n`;
    await fs.mkdir(path.join(b.work, "node_modules", ".bin"), { recursive: true });
    const serverBin = path.join(b.work, "node_modules", ".bin", "typescript-language-server");
    await fs.writeFile(serverBin, spy("lsp"), { mode: 0o755 });
    const server = await scripted([
      { toolCalls: [{ name: "lsp", arguments: { action: "documentSymbol", file_path: "a.ts" } }] },
      { text: "done" },
    ]);
    const env = { ...b.env, ...HOST_ENV, OPENAI_API_KEY: "sk-test-0123456789", OPENAI_BASE_URL: server.url };
    const res = await runCli(["run", "--yes", "--json", ...M, "symbols"], { cwd: b.work, env });
    expect(res.code, res.stderr).toBe(0);
    const lspEnv = await fs.readFile(path.join(b.work, "lsp-env.txt"), "utf8");
    expect(lspEnv).toContain("HARMLESS_SETTING=keep-me");
    expect(lspEnv).not.toContain("CORP_DB_URL");
    expect(lspEnv).not.toContain("ACME_DEPLOY_TOKEN");

    execFileSync("git", ["init", "-q"], { cwd: b.work });
    const created = await runCli(["ralph", "create-prd", "--feature", "Env", "--project-name", "demo"], {
      cwd: b.work,
      env,
    });
    expect(created.code, created.stderr).toBe(0);
    const prdFile = path.join(b.work, "prd.json");
    const prd = JSON.parse(await fs.readFile(prdFile, "utf8"));
    prd.quality_checks = { test: "env > check-env.txt" };
    await fs.writeFile(prdFile, JSON.stringify(prd, null, 2));
    const story = await scripted([{ text: "story done" }]);
    await runCli(["ralph", "run", ...M, "--max-iterations", "1"], {
      cwd: b.work,
      env: { ...env, OPENAI_BASE_URL: story.url },
    });
    const checkEnv = await fs.readFile(path.join(b.work, "check-env.txt"), "utf8");
    expect(checkEnv).toContain("HARMLESS_SETTING=keep-me");
    expect(checkEnv).not.toContain("CORP_DB_URL");
    expect(checkEnv).not.toContain("ACME_DEPLOY_TOKEN");
  });

  it("a real language server still answers when the policy launches it", async () => {
    const b = await box('[shell_environment_policy]\ninherit = "core"\n');
    await fs.writeFile(
      path.join(b.work, "a.ts"),
      "export function policyAnswer(): number {\n  return 1;\n}\n",
    );
    await fs.writeFile(path.join(b.work, "tsconfig.json"), "{}\n");
    const server = await scripted([
      { toolCalls: [{ name: "lsp", arguments: { action: "documentSymbol", file_path: "a.ts" } }] },
      { text: "done" },
    ]);
    // typescript-language-server from the tools package (the test machine has none on PATH).
    const bin = path.resolve(import.meta.dirname, "../../../packages/tools/node_modules/.bin");
    const res = await runCli(["run", "--yes", "--json", ...M, "symbols"], {
      cwd: b.work,
      env: { ...b.env, PATH: `${bin}:${b.env.PATH}`, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code, res.stderr).toBe(0);
    const end = res.stdout.split("\n").find((l) => l.includes('"tool-end"') && l.includes('"lsp"'));
    expect(JSON.parse(end ?? "{}").result?.output).toContain("policyAnswer");
  });

  it("names the bad key, the file and the fix for an invalid policy (exit 2)", async () => {
    const b = await box('[shell_environment_policy]\ninherit = "some"\ninclude = ["PATH"]\n');
    const server = await scripted([{ text: "never" }]);
    const res = await runCli(["run", ...M, "hi"], {
      cwd: b.work,
      env: { ...b.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("shell_environment_policy.include");
    expect(res.stderr).toContain("did you mean `shell_environment_policy.include_only`");
    expect(res.stderr).toContain("config.toml");
  });
});

describe.skipIf(!sandboxUsable("shell environment policy under the sandbox"))(
  "shell environment policy (built binary, real bwrap)",
  () => {
    it("the sandbox's allow-list still applies; `set` variables pass it, excluded ones never do", async () => {
      const b = await box(
        '[sandbox]\nenabled = true\n[shell_environment_policy]\nexclude = ["LANG"]\nset = { FROM_POLICY = "yes-set" }\n',
      );
      const { res, vars } = await envSeenByBash(b, { LANG: "C.UTF-8" });
      expect(res.code, res.stderr).toBe(0);
      expect(vars.get("FROM_POLICY")).toBe("yes-set");
      expect(vars.has("LANG")).toBe(false);
      expect(vars.has("HARMLESS_SETTING")).toBe(false);
      expect(vars.has("ACME_DEPLOY_TOKEN")).toBe(false);
      expect(vars.get("PATH")).toBeTruthy();
    });
  },
);
