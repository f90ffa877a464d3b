import { findGitRoot, toJsonText } from "@codetether/core";
import type { CliIO } from "../io.js";
import { loadRuntimeConfig } from "../wiring/runtime.js";

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * `codetether doctor`: which sandbox protections this machine really enforces, probed now (bubblewrap, user and
 * network namespaces, the seccomp filter against Unix sockets, cgroups, prlimit), and the limits and warnings
 * of the sandbox `bash` gets from the current config. Exit 0: it reports, it does not judge.
 */
export async function doctorCommand(options: { json?: boolean }, io: CliIO): Promise<number> {
  const { config, userFile } = loadRuntimeConfig(io.cwd, io.env);
  const {
    createSandbox,
    describeShellEnvPolicy,
    probeSandboxCapabilities,
    sandboxPolicyFor,
    withSecureDefaults,
  } = await import("@codetether/security");
  const caps = probeSandboxCapabilities();
  const checks: Check[] = [
    check(
      "bubblewrap",
      Boolean(caps.bwrap),
      caps.bwrap ?? caps.bwrapError ?? "not found (apt-get install bubblewrap)",
    ),
    check(
      "user namespaces",
      caps.userNamespaces,
      caps.userNamespaces ? "sandbox has no real capabilities" : "refused by the kernel",
    ),
    check(
      "network namespaces",
      caps.networkNamespaces,
      caps.networkNamespaces ? 'network = "deny" enforced' : "refused: network cannot be denied",
    ),
    check(
      "seccomp",
      caps.seccomp,
      caps.seccomp
        ? "Unix sockets blocked when the network is denied"
        : "bwrap could not load the filter: Unix sockets stay reachable",
    ),
    check(
      "prlimit",
      Boolean(caps.prlimit),
      caps.prlimit ?? "not found (apt-get install util-linux): no memory/CPU/file-size limits",
    ),
    check(
      "pids cgroup",
      Boolean(caps.pidsCgroup),
      caps.pidsCgroup ??
        (caps.root
          ? "none writable: max_processes not enforced as root"
          : "none writable (RLIMIT_NPROC used instead)"),
    ),
    check(
      "cpu cgroup",
      Boolean(caps.cpuCgroup),
      caps.cpuCgroup ?? "none writable: CPU time bounded per process, plus a wall-clock budget",
    ),
  ];
  const workspaceRoot = findGitRoot(io.cwd) ?? io.cwd;
  const forced = /^(1|true|yes|on)$/i.test(io.env.CODETETHER_SANDBOX ?? "");
  const sandboxConfig = forced ? { sandbox: { ...config.sandbox, enabled: true } } : config;
  const policy = sandboxPolicyFor(sandboxConfig, "bash");
  const sandbox = policy ? createSandbox(withSecureDefaults(policy, workspaceRoot)) : undefined;
  const report = {
    machine: checks,
    bash: sandbox
      ? { sandboxed: true, policy: sandbox.policy, active: sandbox.activeLimits, warnings: sandbox.warnings }
      : {
          sandboxed: false,
          hint: `sandboxing is off: set [sandbox] enabled = true in ${userFile} or CODETETHER_SANDBOX=1`,
        },
    environment: {
      policy: config.shell_environment_policy ?? null,
      summary: config.shell_environment_policy
        ? describeShellEnvPolicy(config.shell_environment_policy)
        : `${sandbox ? "the sandbox's allow-list of variables" : "the whole environment"}; narrow it with [shell_environment_policy] in ${userFile}`,
    },
    git: {
      hooks: "codetether's own git runs no repository hooks and no fsmonitor",
      run_hooks_in: config.git.run_hooks_in,
    },
  };
  if (options.json) {
    io.stdout.write(toJsonText(report, 2));
    return 0;
  }
  const lines = ["Sandbox protections on this machine:"];
  for (const c of checks) lines.push(`  ${c.ok ? "yes" : "NO "}  ${c.name.padEnd(18)} ${c.detail}`);
  lines.push("", "The bash tool's sandbox (from config):");
  if (sandbox) {
    for (const limit of sandbox.activeLimits) lines.push(`  active   ${limit}`);
    for (const warning of sandbox.warnings) lines.push(`  WARNING  ${warning}`);
  } else {
    lines.push(`  ${report.bash.hint}`);
  }
  lines.push("", `Commands' environment: ${report.environment.summary}`);
  lines.push(
    "",
    `Git: ${report.git.hooks}${config.git.run_hooks_in.length ? `, except in ${config.git.run_hooks_in.join(", ")} (git.run_hooks_in)` : ""}.`,
  );
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

const check = (name: string, ok: boolean, detail: string): Check => ({ name, ok, detail });
