import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exists, runCli } from "./helpers.js";
import { bash, gitIn, sandboxUsable, toolEnds, useHostServices, useVarTmpHomes } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

/**
 * One test per escape of issue 20 (hooks, secrets in $HOME, Unix sockets, fork bomb, tree-wide CPU), through the
 * built CLI with the real bubblewrap and a scripted model. The box lives under /var/tmp, not /tmp: the sandbox's
 * private /tmp would hide a /tmp home by accident, and the point is to prove $HOME itself is hidden.
 */
const model = useScriptedOpenAI();
const hostService = useHostServices();
const homeBox = useVarTmpHomes();
const usable = sandboxUsable("sandbox escape tests");

const toolOutputs = (stdout: string) => toolEnds(stdout).map((e) => e.result.output as string);

async function writeConfig(configDir: string, toml: string) {
  await fs.mkdir(configDir, { recursive: true });
  await fs.writeFile(path.join(configDir, "config.toml"), toml);
}

describe.skipIf(!usable)("sandbox escapes of issue 20 are closed (built binary, real bwrap)", () => {
  it("sandboxed bash cannot read ~/.ssh/id_rsa or secrets.json, nor write hooks, .git/config or project config", async () => {
    const box = await homeBox();
    await fs.mkdir(path.join(box.home, ".ssh"), { mode: 0o700 });
    await fs.writeFile(path.join(box.home, ".ssh", "id_rsa"), "PRIVATE-KEY-a1b2c3\n", { mode: 0o600 });
    await fs.mkdir(box.configDir, { recursive: true });
    const secrets = path.join(box.configDir, "secrets.json");
    await fs.writeFile(secrets, '{"openai":{"api_key":"sk-SECRET-STORE-d4e5f6"}}', { mode: 0o600 });
    gitIn(box.work, ["init", "-q"]);
    await fs.writeFile(path.join(box.work, "a.txt"), "a\n");
    gitIn(box.work, ["add", "."]);
    gitIn(box.work, ["commit", "-qm", "init"]);
    const gitConfig = await fs.readFile(path.join(box.work, ".git", "config"), "utf8");
    const server = await model.start([
      { toolCalls: [bash(`cat ${box.home}/.ssh/id_rsa; cat ${secrets}; ls -A ~; echo read-done`)] },
      {
        toolCalls: [
          bash(
            "printf '#!/bin/sh\\ntouch /var/tmp/pwned\\n' > .git/hooks/post-commit; chmod +x .git/hooks/post-commit; echo hook-tried",
          ),
        ],
      },
      { toolCalls: [bash("git config core.hooksPath /var/tmp/evil; echo cfg-tried")] },
      {
        toolCalls: [
          bash(
            "echo '[agent]' > codetether.toml; mkdir -p .codetether; echo x > .codetether/x.toml; echo p-tried",
          ),
        ],
      },
      { toolCalls: [bash("mv .git .git-moved; rmdir .git/hooks; git init -q; echo mv-tried")] },
      { toolCalls: [bash("echo inside > ok.txt && cat ok.txt")] },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "escape"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url, CODETETHER_SANDBOX: "1" },
    });
    expect(res.code).toBe(0);
    const out = toolOutputs(res.stdout);
    expect(out).toHaveLength(6);
    expect(out[0]).toContain("read-done");
    expect(out[0]).not.toContain("PRIVATE-KEY-a1b2c3");
    expect(out[0]).not.toContain("sk-SECRET-STORE-d4e5f6");
    expect(out[1]).toContain("hook-tried");
    expect(await exists(path.join(box.work, ".git", "hooks", "post-commit"))).toBe(false);
    expect(await fs.readFile(path.join(box.work, ".git", "config"), "utf8")).toBe(gitConfig);
    expect(await exists(path.join(box.work, "codetether.toml"))).toBe(false);
    expect(await exists(path.join(box.work, ".codetether"))).toBe(false);
    expect(await exists(path.join(box.work, ".git-moved"))).toBe(false);
    expect(gitIn(box.work, ["log", "--format=%s"])).toBe("init");
    // The workspace itself stays writable.
    expect(out[5]).toContain("inside");
    expect(await fs.readFile(path.join(box.work, "ok.txt"), "utf8")).toBe("inside\n");
  });

  it("in a folder that is not a repository, sandboxed bash cannot create .git (git init)", async () => {
    const box = await homeBox();
    const server = await model.start([
      { toolCalls: [bash("git init -q; mkdir -p .git/hooks; echo tried")] },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "init"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url, CODETETHER_SANDBOX: "1" },
    });
    expect(res.code).toBe(0);
    expect(toolOutputs(res.stdout)[0]).toContain("tried");
    // Neither a repository nor the placeholder the sandbox mounted over the path is left behind.
    expect(await exists(path.join(box.work, ".git"))).toBe(false);
  });

  it("ralph's commit runs no repository hook and no fsmonitor command", async () => {
    const box = await homeBox();
    const marker = path.join(box.home, "hook-ran");
    gitIn(box.work, ["init", "-q"]);
    await fs.writeFile(path.join(box.work, "a.txt"), "a\n");
    gitIn(box.work, ["add", "."]);
    gitIn(box.work, ["commit", "-qm", "init"]);
    for (const hook of ["pre-commit", "post-commit", "post-checkout", "reference-transaction"]) {
      const file = path.join(box.work, ".git", "hooks", hook);
      await fs.writeFile(file, `#!/bin/sh\necho ${hook} >> ${marker}\n`, { mode: 0o755 });
    }
    const monitor = path.join(box.home, "fsmonitor.sh");
    await fs.writeFile(monitor, `#!/bin/sh\necho fsmonitor >> ${marker}\n`, { mode: 0o755 });
    gitIn(box.work, ["config", "core.fsmonitor", monitor]);
    const env = { ...box.env, OPENAI_API_KEY: "sk-test" };
    const created = await runCli(["ralph", "create-prd", "--feature", "Hooks", "--project-name", "demo"], {
      cwd: box.work,
      env,
    });
    expect(created.code).toBe(0);
    const server = await model.start([
      { toolCalls: [bash("echo change > b.txt")] },
      { text: "story done" },
      { text: "story done" },
      { text: "story done" },
    ]);
    const res = await runCli(["ralph", "run", "--model", "openai/gpt-4o", "--max-iterations", "1"], {
      cwd: box.work,
      env: { ...env, OPENAI_BASE_URL: server.url },
    });
    expect(res.stderr).not.toContain("Error");
    expect(gitIn(box.work, ["log", "--format=%s"]).split("\n").length).toBe(2);
    expect(await exists(marker)).toBe(false);
  });

  it("network = deny also blocks connecting to a filesystem Unix socket (seccomp)", async () => {
    const box = await homeBox();
    const socketPath = path.join(box.work, "service.sock");
    const { connections } = await hostService(socketPath);
    const probe = `node -e "require('net').connect('${socketPath}').on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',e=>console.log('ERR',e.code))"`;
    const server = await model.start([
      { toolCalls: [bash(probe)] },
      { text: "unsandboxed" },
      { toolCalls: [bash(probe)] },
      { text: "sandboxed" },
    ]);
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    const plain = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "a"], {
      cwd: box.work,
      env,
    });
    expect(toolOutputs(plain.stdout)[0]).toContain("CONNECTED");
    expect(connections()).toBe(1); // the probe works unsandboxed, so the denial below is real
    const boxed = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "b"], {
      cwd: box.work,
      env: { ...env, CODETETHER_SANDBOX: "1", CODETETHER_VERBOSE: "1" },
    });
    expect(boxed.code).toBe(0);
    expect(toolOutputs(boxed.stdout)[0]).not.toContain("CONNECTED");
    expect(connections()).toBe(1);
    expect(boxed.stderr).toContain("Unix sockets");
  });

  it("a fork bomb is bounded by the default process limit", async () => {
    const box = await homeBox();
    await writeConfig(box.configDir, "[sandbox]\nenabled = true\n");
    // perl (perl-base is essential on Debian): fork up to 400 sleepers, count them, then kill them.
    const bomb =
      'perl -e \'my @k; for (1..400) { my $p = fork; last unless defined $p; if (!$p) { sleep 20; exit 0 } push @k, $p } print "forked=" . scalar(@k) . "\\n"; kill 9, @k\'';
    const server = await model.start([{ toolCalls: [bash(bomb)] }, { text: "done" }]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "bomb"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    const forked = Number(/forked=(\d+)/.exec(toolOutputs(res.stdout)[0] ?? "")?.[1]);
    expect(forked).toBeGreaterThan(0);
    expect(forked).toBeLessThan(400);
  });

  it("CPU time is bounded for the whole process tree, not per process", async () => {
    const box = await homeBox();
    await writeConfig(box.configDir, "[sandbox]\nenabled = true\n[sandbox.default]\nmax_cpu_seconds = 2\n");
    // Three burners of 1.5 s CPU each: every one is under the per-process limit, together they exceed it.
    const burner = "perl -e 'while ((times)[0] < 1.5) {} print qq(burned\\n)'";
    const server = await model.start([
      { toolCalls: [bash(`${burner} & ${burner} & ${burner} & wait; echo waited`)] },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "burn"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    const output = toolOutputs(res.stdout)[0] ?? "";
    expect(output.match(/burned/g)?.length ?? 0).toBeLessThan(3);
  });
});
