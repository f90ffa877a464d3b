import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { probeSandboxCapabilities } from "@codetether/security";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { auditRecords } from "./security-helpers.js";

/**
 * With the sandbox on, no program the sandboxed model could have written runs outside the sandbox: a language
 * server planted in the workspace's `node_modules/.bin` (the `lsp` tool finds project-local servers first) and a
 * ralph quality check whose script a story agent rewrote run under the same bubblewrap as `bash` — no provider
 * key in their environment, no write outside the workspace. Built CLI, real bubblewrap, scripted model; the box
 * lives under /var/tmp so that $HOME (hidden by the sandbox) is not inside the sandbox's private /tmp.
 */
let server: ScriptedOpenAI | undefined;
const cleanups: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of cleanups.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

const caps = probeSandboxCapabilities();
const usable = Boolean(caps.bwrap && caps.networkNamespaces);
if (!usable)
  console.warn("skipping child-process sandbox tests: bubblewrap with network namespaces is missing");

const KEY = "sk-live-CHILD-PROCESS-KEY-7f3a9c";
const bash = (command: string) => ({ name: "bash", arguments: { command, description: "test" } });

async function homeBox() {
  const home = await fs.mkdtemp("/var/tmp/ct-child-");
  cleanups.push(home);
  const work = path.join(home, "work");
  await fs.mkdir(work);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    NO_COLOR: "1",
    OPENAI_API_KEY: KEY,
    CODETETHER_SANDBOX: "1",
  };
  return { home, work, env };
}

const exists = (p: string) =>
  fs.access(p).then(
    () => true,
    () => false,
  );

/** What a planted program records: the environment it saw (in the workspace) and a marker in $HOME. */
const spyScript = (name: string) =>
  `#!/bin/sh\nenv > "${name}-env.txt"\ntouch "$HOME/${name}-escaped"\nexit 0\n`;

const gitIn = (cwd: string, args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], { cwd, stdio: "pipe" });

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
    server = await startScriptedOpenAI([
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
    server = await startScriptedOpenAI([
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
    server = await startScriptedOpenAI([
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
    server = await startScriptedOpenAI([
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
});
