import fs from "node:fs";
import path from "node:path";
import { type SandboxPolicyConfig, SandboxPolicySchema } from "@codetether/core";
import { parseSize } from "./parse-size.js";
import { createPidsCgroup, enterCgroupArgs } from "./pids-cgroup.js";
import { probeSandboxCapabilities, type SandboxCapabilities } from "./sandbox-capabilities.js";

/** Environment variables a sandboxed command keeps; everything else (API keys, tokens) is dropped. */
export const DEFAULT_ENV_ALLOW = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "TERM",
  "TZ",
  "TMPDIR",
];

export interface SandboxOptions {
  /** Extra variable names (or `LC_*`-style prefixes ending in `*`) to keep besides `DEFAULT_ENV_ALLOW` and `LC_*`. */
  envAllow?: readonly string[];
  /** Override probed capabilities (tests, or to force a feature off). */
  capabilities?: Partial<SandboxCapabilities>;
}

export interface WrapOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
}

/** What to spawn instead of the original command: `spawn(file, args, { cwd, env })`. */
export interface WrappedCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Removes per-command kernel objects (the pids cgroup); safe to skip, they are swept later. */
  dispose(): void;
}

export interface Sandbox {
  policy: SandboxPolicyConfig;
  /** Each enforced limit and the mechanism enforcing it. */
  activeLimits: string[];
  /** Each requested limit that is NOT enforced on this machine, and why. Show these to the user. */
  warnings: string[];
  /** A string is run with `/bin/sh -c`; an array is an argv. */
  wrap(command: string | readonly string[], options: WrapOptions): WrappedCommand;
}

/**
 * Builds an OS-level sandbox for a policy: bubblewrap (read-only root, writable binds for `writable_paths`,
 * private /tmp, new user/pid/ipc/uts namespaces, all capabilities dropped, new network namespace when the
 * network is denied), prlimit resource limits, a pids cgroup when running as root, and an environment
 * allow-list. Anything the kernel refuses is listed in `warnings`, never silently skipped.
 */
export function createSandbox(policyInput: SandboxPolicyConfig, options: SandboxOptions = {}): Sandbox {
  const parsed = SandboxPolicySchema.safeParse(policyInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid sandbox policy: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const policy = parsed.data;
  const caps = { ...probeSandboxCapabilities(), ...options.capabilities };
  const activeLimits: string[] = [];
  const warnings: string[] = [];

  const limits: string[] = [];
  const memory = policy.max_memory === undefined ? undefined : parseSize(policy.max_memory, "max_memory");
  const fileSize =
    policy.max_file_size === undefined ? undefined : parseSize(policy.max_file_size, "max_file_size");
  if (memory !== undefined) limits.push(`--as=${memory}`);
  if (policy.max_cpu_seconds !== undefined)
    limits.push(`--cpu=${policy.max_cpu_seconds}:${policy.max_cpu_seconds + 1}`);
  if (fileSize !== undefined) limits.push(`--fsize=${fileSize}`);
  const rlimitNames = [
    memory !== undefined && `max_memory=${memory} bytes`,
    policy.max_cpu_seconds !== undefined && `max_cpu_seconds=${policy.max_cpu_seconds}`,
    fileSize !== undefined && `max_file_size=${fileSize} bytes`,
  ].filter((name): name is string => typeof name === "string");
  let pidsCgroup: string | undefined;
  if (policy.max_processes !== undefined) {
    if (!caps.root && caps.prlimit) {
      limits.push(`--nproc=${policy.max_processes}`);
      rlimitNames.push(`max_processes=${policy.max_processes}`);
    } else if (caps.root && caps.pidsCgroup) {
      pidsCgroup = caps.pidsCgroup;
      activeLimits.push(
        `max_processes=${policy.max_processes} (pids cgroup; RLIMIT_NPROC does not bind root)`,
      );
    } else {
      warnings.push(
        `max_processes NOT enforced: ${caps.root ? "running as root (RLIMIT_NPROC is ignored for root) and no writable pids cgroup" : "prlimit (util-linux) not found"}`,
      );
    }
  }
  if (rlimitNames.length > 0) {
    if (caps.prlimit) activeLimits.push(`${rlimitNames.join(", ")} (rlimits via prlimit)`);
    else warnings.push(`${rlimitNames.join(", ")} NOT enforced: prlimit (util-linux) not found`);
  }

  const denyNetwork = policy.network === "deny" || (policy.network_allow?.length ?? 0) > 0;
  if ((policy.network_allow?.length ?? 0) > 0) {
    warnings.push(
      `network_allow [${policy.network_allow!.join(", ")}] cannot be enforced by a network namespace alone; ` +
        "failing closed: all network access is denied",
    );
  }

  const writable = resolveWritable(policy.writable_paths ?? [], warnings);
  const bwrapArgs: string[] = [];
  if (caps.bwrap) {
    bwrapArgs.push("--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts");
    if (caps.userNamespaces) bwrapArgs.push("--unshare-user");
    bwrapArgs.push(
      "--cap-drop",
      "ALL",
      "--ro-bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--tmpfs",
      "/tmp",
    );
    activeLimits.push(
      `filesystem read-only except [${writable.join(", ")}] and a private /tmp (bubblewrap, capabilities dropped${caps.userNamespaces ? ", user namespace" : ""})`,
    );
    if (!caps.userNamespaces)
      warnings.push("user namespaces unavailable: sandbox runs as the host user (capabilities dropped)");
    if (denyNetwork) {
      if (caps.networkNamespaces) {
        bwrapArgs.push("--unshare-net");
        activeLimits.push("network denied (new network namespace, loopback only)");
      } else {
        warnings.push("network NOT denied: the kernel refused to create a network namespace");
      }
    }
  } else {
    warnings.push(
      `writable_paths NOT enforced and no namespaces: bubblewrap unavailable (${caps.bwrapError ?? "bwrap not found; apt-get install bubblewrap"})`,
    );
    if (denyNetwork) warnings.push("network NOT denied: needs bubblewrap");
  }
  const envAllow = [...DEFAULT_ENV_ALLOW, "LC_*", ...(options.envAllow ?? [])];
  activeLimits.push(`environment cleared except ${envAllow.join(", ")}`);

  return {
    policy,
    activeLimits,
    warnings,
    wrap(command, wrapOptions) {
      const cwd = path.resolve(wrapOptions.cwd);
      const argv = typeof command === "string" ? ["/bin/sh", "-c", command] : [...command];
      if (argv.length === 0) throw new Error("sandbox.wrap: empty command");
      let chain = argv;
      if (limits.length > 0 && caps.prlimit) chain = [caps.prlimit, ...limits, "--", ...chain];
      if (caps.bwrap) {
        const binds = writable.flatMap((p) => ["--bind", p, p]);
        // A cwd under /tmp would be hidden by the private /tmp: show it read-only unless it is writable anyway.
        const cwdBind =
          isUnder(cwd, "/tmp") && !writable.some((p) => isUnder(cwd, p)) ? ["--ro-bind", cwd, cwd] : [];
        chain = [caps.bwrap, ...bwrapArgs, ...cwdBind, ...binds, "--chdir", cwd, "--", ...chain];
      }
      let cgroup: string | undefined;
      if (pidsCgroup && policy.max_processes !== undefined) {
        cgroup = createPidsCgroup(pidsCgroup, policy.max_processes);
        chain = [...enterCgroupArgs(cgroup), ...chain];
      }
      return {
        file: chain[0]!,
        args: chain.slice(1),
        env: filterEnv(wrapOptions.env ?? process.env, envAllow),
        cwd,
        dispose() {
          if (!cgroup) return;
          const dir = cgroup;
          const remove = () => {
            try {
              fs.rmdirSync(dir);
              return true;
            } catch (err) {
              return (err as NodeJS.ErrnoException).code === "ENOENT";
            }
          };
          // Killed processes may take a moment to leave; retry once, later sweeps catch the rest.
          if (!remove()) setTimeout(remove, 1000).unref();
        },
      };
    },
  };
}

function resolveWritable(paths: readonly string[], warnings: string[]): string[] {
  const out: string[] = [];
  for (const raw of paths) {
    try {
      out.push(fs.realpathSync(path.resolve(raw)));
    } catch {
      warnings.push(`writable path ${raw} does not exist; it stays unwritable`);
    }
  }
  return out;
}

const isUnder = (child: string, parent: string) =>
  child === parent || child.startsWith(parent.endsWith("/") ? parent : `${parent}/`);

function filterEnv(
  env: Record<string, string | undefined>,
  allow: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (allow.some((name) => (name.endsWith("*") ? key.startsWith(name.slice(0, -1)) : key === name)))
      out[key] = value;
  }
  return out;
}
