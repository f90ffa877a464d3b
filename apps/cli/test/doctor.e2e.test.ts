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
});
