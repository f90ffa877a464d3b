import fs from "node:fs/promises";
import path from "node:path";
import { probeSandboxCapabilities } from "@codetether/security";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";

const caps = probeSandboxCapabilities();

describe("codetether doctor (built binary)", () => {
  it("reports the machine's sandbox protections as probed, and bash's limits with the sandbox on", async () => {
    const { work, env } = await makeSandbox();
    const res = await runCli(["doctor", "--json"], { cwd: work, env: { ...env, CODETETHER_SANDBOX: "1" } });
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as {
      machine: Array<{ name: string; ok: boolean }>;
      bash: { sandboxed: boolean; active: string[]; warnings: string[] };
    };
    const ok = Object.fromEntries(report.machine.map((c) => [c.name, c.ok]));
    expect(ok).toEqual({
      bubblewrap: Boolean(caps.bwrap),
      "user namespaces": caps.userNamespaces,
      "network namespaces": caps.networkNamespaces,
      seccomp: caps.seccomp,
      prlimit: Boolean(caps.prlimit),
      "pids cgroup": Boolean(caps.pidsCgroup),
      "cpu cgroup": Boolean(caps.cpuCgroup),
    });
    expect(report.bash.sandboxed).toBe(true);
    const all = [...report.bash.active, ...report.bash.warnings].join("\n");
    expect(all).toContain("max_processes=256");
    if (caps.bwrap && caps.seccomp) expect(all).toContain("Unix sockets denied");
    if (caps.bwrap) expect(all).toMatch(/home .* hidden/);
  });

  it("says when bash is not sandboxed, in plain text", async () => {
    const { work, env } = await makeSandbox();
    const res = await runCli(["doctor"], { cwd: work, env });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Sandbox protections on this machine:");
    expect(res.stdout).toContain("sandboxing is off");
    expect(res.stdout).toContain("runs no repository hooks");
  });

  it("shows the environment commands get: whole without [shell_environment_policy], else what the policy does", async () => {
    const { dir, work, env } = await makeSandbox();
    const plain = await runCli(["doctor"], { cwd: work, env });
    expect(plain.stdout).toContain("Commands' environment: the whole environment");
    expect(plain.stdout).toContain("[shell_environment_policy]");
    const configDir = path.join(dir, "config", "codetether");
    await fs.mkdir(configDir, { recursive: true });
    await fs.writeFile(
      path.join(configDir, "config.toml"),
      '[shell_environment_policy]\ninherit = "core"\nexclude = ["CORP_*"]\n',
    );
    const text = await runCli(["doctor"], { cwd: work, env });
    expect(text.stdout).toContain(
      "Commands' environment: inherit core; drop *KEY*, *SECRET*, *TOKEN*, CORP_*",
    );
    const json = JSON.parse((await runCli(["doctor", "--json"], { cwd: work, env })).stdout) as {
      environment: { policy: unknown; summary: string };
    };
    expect(json.environment.policy).toEqual({ inherit: "core", exclude: ["CORP_*"] });
  });
});
