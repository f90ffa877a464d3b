import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { bash, sandboxUsable, toolEnds, useHostServices } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { auditRecords, bundlePluginSource, securityBox } from "./security-helpers.js";

const model = useScriptedOpenAI();
const hostService = useHostServices();
const usable = sandboxUsable("sandbox e2e tests");

describe.skipIf(!usable)("sandboxed bash in codetether run (built binary)", () => {
  it("CODETETHER_SANDBOX=1: a normal command works, writing outside the workspace and reaching 127.0.0.1 fail", async () => {
    const box = await securityBox();
    const { port, connections } = await hostService();
    // Outside the workspace: on the host's (read-only) root, and next to the workspace under /tmp.
    const outside = path.join("/var/tmp", `codetether-escape-${process.pid}-${Date.now()}`);
    const sibling = path.join(box.dir, "outside.txt");
    const secretEnv = "sk-sandbox-env-key-0123456789";
    const server = await model.start([
      { toolCalls: [bash("echo inside > inside.txt && cat inside.txt")] },
      { toolCalls: [bash(`echo escaped > ${outside}`)] },
      { toolCalls: [bash(`echo escaped > ${sibling}`)] },
      { toolCalls: [bash(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`)] },
      { toolCalls: [bash('echo "key=[$OPENAI_API_KEY]"')] },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "try the sandbox"], {
      cwd: box.work,
      env: {
        ...box.env,
        OPENAI_API_KEY: secretEnv,
        OPENAI_BASE_URL: server.url,
        CODETETHER_SANDBOX: "1",
        CODETETHER_VERBOSE: "1",
      },
    });
    expect(res.code).toBe(0);
    const ends = toolEnds(res.stdout);
    expect(ends).toHaveLength(5);
    const exitCode = (i: number) => ends[i].result.metadata.exitCode as number;
    expect(exitCode(0)).toBe(0);
    expect(ends[0].result.output).toContain("inside");
    expect(await fs.readFile(path.join(box.work, "inside.txt"), "utf8")).toBe("inside\n");

    expect(exitCode(1)).not.toBe(0);
    expect(ends[1].result.output).toContain("Read-only file system");
    await expect(fs.access(outside)).rejects.toThrow();
    // Under /tmp the command only sees a private tmpfs: the host file is never created.
    await expect(fs.access(sibling)).rejects.toThrow();

    expect(exitCode(3)).not.toBe(0);
    expect(ends[3].result.output).not.toContain("hello from the host");
    expect(connections()).toBe(0);

    // The environment is cleared: the provider key is not visible to commands.
    expect(ends[4].result.output).toContain("key=[]");

    // Limits are announced once on stderr (verbose), and executions are audited as sandboxed.
    expect(res.stderr.match(/codetether: sandbox for bash:/g)).toHaveLength(1);
    expect(res.stderr).toContain("network denied");
    const starts = (await auditRecords(box.auditDir)).filter((r) => r.action === "tool.start");
    expect(starts.every((r) => (r.details as { sandboxed: boolean }).sandboxed)).toBe(true);
    expect(JSON.stringify(await auditRecords(box.auditDir))).not.toContain(secretEnv);
  });

  it("config sandbox.enabled with a memory limit; without sandboxing the same bash reaches the listener", async () => {
    const box = await securityBox();
    const { port, connections } = await hostService();
    const probe = `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`;
    const server = await model.start([
      { toolCalls: [bash(probe)] },
      { text: "unsandboxed" },
      { toolCalls: [bash(probe)] },
      {
        toolCalls: [
          bash("python3 -c 'x = bytearray(600 * 1024 * 1024); print(len(x))' || echo alloc-failed"),
        ],
      },
      { text: "sandboxed" },
    ]);
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    const plain = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "a"], {
      cwd: box.work,
      env,
    });
    expect(plain.code).toBe(0);
    expect(connections()).toBe(1); // the probe works when nothing is sandboxed, so the denial below is real

    await fs.mkdir(box.configDir, { recursive: true });
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      '[sandbox]\nenabled = true\n[sandbox.default]\nmax_memory = "256M"\n',
    );
    const boxed = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "b"], {
      cwd: box.work,
      env,
    });
    expect(boxed.code).toBe(0);
    expect(connections()).toBe(1);
    const ends = toolEnds(boxed.stdout);
    expect(ends[0].result.metadata.exitCode).not.toBe(0);
    const hasPython = (await import("node:child_process")).spawnSync("python3", ["-V"]).status === 0;
    if (hasPython) expect(ends[1].result.output).toContain("alloc-failed");
    // Not verbose and not a TTY: no notice.
    expect(boxed.stderr).not.toContain("sandbox for bash");
  });
});

describe("sandbox configuration errors (built binary)", () => {
  it("an invalid sandbox policy fails the run up front with a usage error naming the key", async () => {
    const box = await securityBox();
    const server = await model.start([{ toolCalls: [bash("echo never")] }, { text: "x" }]);
    await fs.mkdir(box.configDir, { recursive: true });
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      '[sandbox]\nenabled = true\n[sandbox.default]\nmax_memory = "lots"\n',
    );
    const res = await runCli(["run", "--yes", "--model", "openai/gpt-4o", "x"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("max_memory");
    expect(res.stderr).toContain('config [sandbox] for tool "bash"');
    expect(server.requests.filter((r) => r.path.endsWith("/chat/completions"))).toHaveLength(0);
  });
});

const PROBE_PLUGIN = `
import { spawnSync } from "node:child_process";
import { z } from "zod";
export default {
  id: "probe",
  description: "Runs a command through the host's sandbox service.",
  kind: "exec",
  parameters: z.object({ command: z.string() }),
  async execute(args, ctx) {
    const sandbox = ctx.services?.sandbox;
    if (!sandbox) return { output: "no sandbox service", isError: true };
    const launch = await sandbox.wrap(args.command, { cwd: ctx.cwd, env: process.env, timeoutMs: 10000 });
    const r = spawnSync(launch.file, launch.args, { cwd: ctx.cwd, env: launch.env, encoding: "utf8", timeout: 10000 });
    return { output: "exit=" + r.status + "\\n" + r.stdout + r.stderr };
  },
};
`;

describe.skipIf(!usable)("plugin tools run their commands under their manifest's sandbox policy", () => {
  it("a signed plugin with network = deny cannot reach 127.0.0.1 even with the sandbox off in config", async () => {
    const box = await securityBox();
    const { port, connections } = await hostService();
    const dir = path.join(box.dir, "plugins", "probe");
    await fs.mkdir(dir, { recursive: true });
    bundlePluginSource(PROBE_PLUGIN, path.join(dir, "index.mjs"));
    await fs.writeFile(
      path.join(dir, "manifest.json"),
      JSON.stringify({
        id: "probe",
        version: "1.0.0",
        description: "probe",
        entry: "index.mjs",
        permissions: ["exec"],
        sandbox: { network: "deny" },
      }),
    );
    const cli = (args: string[]) => runCli(args, { cwd: box.work, env: box.env });
    const keygen = await cli(["tools", "keygen"]);
    const publicKey = /public key:\s+(ed25519:\S+)/.exec(keygen.stdout)?.[1] as string;
    expect((await cli(["tools", "sign", dir])).code).toBe(0);
    expect((await cli(["tools", "trust", publicKey])).code).toBe(0);
    expect(
      (await cli(["config", "--set", `tools.plugin_dirs=${JSON.stringify([path.dirname(dir)])}`])).code,
    ).toBe(0);

    const server = await model.start([
      { toolCalls: [{ name: "probe", arguments: { command: "echo inside-plugin-sandbox" } }] },
      {
        toolCalls: [
          { name: "probe", arguments: { command: `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3` } },
        ],
      },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "probe"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code).toBe(0);
    const ends = toolEnds(res.stdout);
    expect(ends[0].result.output).toBe("exit=0\ninside-plugin-sandbox\n");
    expect(ends[1].result.output).toMatch(/^exit=[1-9]/);
    expect(connections()).toBe(0);
  });
});
