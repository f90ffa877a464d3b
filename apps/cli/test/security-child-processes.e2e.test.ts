import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exists, runCli } from "./helpers.js";
import { bash, gitIn, sandboxUsable, useVarTmpHomes } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { auditRecords } from "./security-helpers.js";

/**
 * With the sandbox on, no program the sandboxed model could have written runs outside the sandbox: a language
 * server planted in the workspace's `node_modules/.bin` (the `lsp` tool finds project-local servers first) and a
 * ralph quality check whose script a story agent rewrote run under the same bubblewrap as `bash` — no provider
 * key in their environment, no write outside the workspace. Built CLI, real bubblewrap, scripted model; the box
 * lives under /var/tmp so that $HOME (hidden by the sandbox) is not inside the sandbox's private /tmp.
 */
const model = useScriptedOpenAI();
const varTmpHome = useVarTmpHomes();
const usable = sandboxUsable("child-process sandbox tests");

const KEY = "sk-live-CHILD-PROCESS-KEY-7f3a9c";

/** A /var/tmp HOME whose env has the provider key and turns the sandbox on. */
async function homeBox() {
  const { home, work, env } = await varTmpHome("ct-child-");
  const childEnv: Record<string, string> = { ...env, OPENAI_API_KEY: KEY, CODETETHER_SANDBOX: "1" };
  return { home, work, env: childEnv };
}

/** What a planted program records: the environment it saw (in the workspace) and a marker in $HOME. */
const spyScript = (name: string) =>
  `#!/bin/sh\nenv > "${name}-env.txt"\ntouch "$HOME/${name}-escaped"\nexit 0\n`;

async function expectContained(box: { home: string; work: string }, name: string) {
  // The program did run (inside the sandbox): it wrote its environment into the workspace.
  const seen = await fs.readFile(path.join(box.work, `${name}-env.txt`), "utf8");
  expect(seen).toContain("PATH=");
  expect(seen).not.toContain(KEY);
  expect(seen).not.toContain("OPENAI_API_KEY");
  expect(await exists(path.join(box.home, `${name}-escaped`))).toBe(false);
}

describe.skipIf(!usable)("programs the sandboxed model can write run in the sandbox too", () => {
  it("lsp: a language server planted in node_modules/.bin", async () => {
    const box = await homeBox();
    await fs.writeFile(path.join(box.work, "a.ts"), "export const a = 1;\n");
    const plant = [
      "mkdir -p node_modules/.bin",
      `printf '%s' '${spyScript("lsp")}' > node_modules/.bin/typescript-language-server`,
      "chmod +x node_modules/.bin/typescript-language-server",
      "echo planted",
    ].join(" && ");
    const server = await model.start([
      { toolCalls: [bash(plant)] },
      { toolCalls: [{ name: "lsp", arguments: { action: "documentSymbol", file_path: "a.ts" } }] },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "go"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("planted");
    await expectContained(box, "lsp");
  });

  it("lsp: a real language server still answers from inside the sandbox", async () => {
    const box = await homeBox();
    await fs.writeFile(
      path.join(box.work, "a.ts"),
      "export function sandboxedAnswer(): number {\n  return 1;\n}\n",
    );
    await fs.writeFile(path.join(box.work, "tsconfig.json"), "{}\n");
    const server = await model.start([
      { toolCalls: [{ name: "lsp", arguments: { action: "documentSymbol", file_path: "a.ts" } }] },
      { text: "done" },
    ]);
    // typescript-language-server from the tools package (the test machine has none on PATH).
    const bin = path.resolve(import.meta.dirname, "../../../packages/tools/node_modules/.bin");
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "go"], {
      cwd: box.work,
      env: { ...box.env, PATH: `${bin}:${box.env.PATH}`, OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    const end = res.stdout.split("\n").find((l) => l.includes('"tool-end"') && l.includes('"lsp"'));
    expect(JSON.parse(end ?? "{}").result?.output).toContain("sandboxedAnswer");
  });

  it("ralph run: a quality check whose script the story agent rewrote", async () => {
    const box = await homeBox();
    gitIn(box.work, ["init", "-q"]);
    await fs.writeFile(path.join(box.work, "check.sh"), "#!/bin/sh\nexit 0\n");
    gitIn(box.work, ["add", "."]);
    gitIn(box.work, ["commit", "-qm", "init"]);
    const created = await runCli(["ralph", "create-prd", "--feature", "Checks", "--project-name", "demo"], {
      cwd: box.work,
      env: box.env,
    });
    expect(created.code).toBe(0);
    const prdFile = path.join(box.work, "prd.json");
    const prd = JSON.parse(await fs.readFile(prdFile, "utf8"));
    prd.quality_checks = { test: "sh check.sh" };
    await fs.writeFile(prdFile, JSON.stringify(prd, null, 2));
    const server = await model.start([
      { toolCalls: [bash(`printf '%s' '${spyScript("check")}' > check.sh && echo rewritten`)] },
      { text: "story done" },
    ]);
    const res = await runCli(["ralph", "run", "--model", "openai/gpt-4o", "--max-iterations", "1"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_BASE_URL: server.url },
    });
    expect(res.stderr).not.toContain("Error");
    await expectContained(box, "check");
  });

  it("the ralph tool: quality checks in a prd.json the model wrote", async () => {
    const box = await homeBox();
    gitIn(box.work, ["init", "-q"]);
    await fs.writeFile(path.join(box.work, "a.txt"), "a\n");
    gitIn(box.work, ["add", "."]);
    gitIn(box.work, ["commit", "-qm", "init"]);
    const created = await runCli(["ralph", "create-prd", "--feature", "Tool", "--project-name", "demo"], {
      cwd: box.work,
      env: box.env,
    });
    expect(created.code).toBe(0);
    const prd = JSON.parse(await fs.readFile(path.join(box.work, "prd.json"), "utf8"));
    prd.quality_checks = { test: `env > tool-env.txt; touch "$HOME/tool-escaped"` };
    const write = { name: "write", arguments: { path: "prd.json", content: JSON.stringify(prd) } };
    const server = await model.start([
      { toolCalls: [write] },
      { toolCalls: [{ name: "ralph", arguments: { action: "run", max_iterations: 1 } }] },
      { text: "story done" },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "go"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('"tool":"ralph"');
    await expectContained(box, "tool");
    // The orchestration tools (ralph, swarm, rlm, prd) are audited like the built-ins.
    const audit = await auditRecords(path.join(box.home, ".local", "share", "codetether", "audit"));
    expect(audit).toContainEqual(
      expect.objectContaining({ action: "tool.execute", resource: "ralph", outcome: "success" }),
    );
  });

  it("a relative PATH entry (node_modules/.bin) cannot substitute the sandbox (bwrap, prlimit, timeout) or rg", async () => {
    const box = await homeBox();
    gitIn(box.work, ["init", "-q"]);
    const env = { ...box.env, PATH: `node_modules/.bin:${box.env.PATH}` };
    const spy = (name: string) => `#!/bin/sh\nenv > "$HOME/${name}-escaped"\nexit 1\n`;
    const plant = [
      "mkdir -p node_modules/.bin",
      ...["bwrap", "prlimit", "timeout", "git", "rg"].map(
        (name) =>
          `printf '%s' '${spy(name)}' > node_modules/.bin/${name} && chmod +x node_modules/.bin/${name}`,
      ),
      "echo planted",
    ].join(" && ");
    const server = await model.start([
      { toolCalls: [bash(plant)] },
      { text: "planted" },
      { toolCalls: [bash("echo still-sandboxed; ls -A ~")] },
      { toolCalls: [{ name: "grep", arguments: { pattern: "x" } }] },
      { text: "done" },
    ]);
    const first = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "plant"], {
      cwd: box.work,
      env: { ...env, OPENAI_BASE_URL: server.url },
    });
    expect(first.stdout).toContain("planted");
    const second = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "use"], {
      cwd: box.work,
      env: { ...env, OPENAI_BASE_URL: server.url },
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("still-sandboxed");
    expect(second.stderr).toContain("ignoring relative PATH entries node_modules/.bin");
    const escaped = (await fs.readdir(box.home)).filter((n) => n.endsWith("-escaped"));
    expect(escaped).toEqual([]);
  });
});
