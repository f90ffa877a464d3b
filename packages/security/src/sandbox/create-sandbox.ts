import fs from "node:fs";
import path from "node:path";
import { type SandboxPolicyConfig, SandboxPolicySchema } from "@codetether/core";
import { watchCpuBudget } from "./cpu-budget.js";
import { type HomeView, homeView, isUnder } from "./home-view.js";
import { createCommandCgroup, createPidsCgroup, enterCgroupArgs } from "./pids-cgroup.js";
import { protectWritableRoot } from "./protected-paths.js";
import { nprocLimit, planLimits } from "./resource-limits.js";
import { probeSandboxCapabilities, type SandboxCapabilities } from "./sandbox-capabilities.js";
import { unixSocketFilterFile, withSeccompFdArgs } from "./seccomp-filter.js";

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
  /** Where `$HOME` and codetether's config/data dirs are read from (default: `process.env`). */
  env?: Record<string, string | undefined>;
}

export interface WrapOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /**
   * More paths this one command may read (read-only), e.g. the install folder of a language server that lives
   * under a hidden home or /tmp. Never codetether's own config/data/cache dirs: those are refused.
   */
  readablePaths?: readonly string[];
}

/** What to spawn instead of the original command: `spawn(file, args, { cwd, env })`. */
export interface WrappedCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /**
   * Call when the command has ended: removes per-command kernel objects (cgroups, swept later if skipped),
   * stops the CPU watchdog and removes the empty placeholders mounted over absent protected paths.
   */
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
 * private /tmp, `$HOME` an empty tmpfs except the workspace and `readable_paths`, codetether's own dirs hidden,
 * `.git` hooks/config and project config read-only, new user/pid/ipc/uts namespaces, all capabilities dropped,
 * a new network namespace plus a seccomp filter against Unix sockets when the network is denied), resource
 * limits (prlimit, a pids cgroup, a tree-wide CPU budget) and an environment allow-list. Anything the kernel
 * refuses is listed in `warnings`, never silently skipped.
 */
export function createSandbox(policyInput: SandboxPolicyConfig, options: SandboxOptions = {}): Sandbox {
  const parsed = SandboxPolicySchema.safeParse(policyInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid sandbox policy: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const policy = parsed.data;
  const caps = { ...probeSandboxCapabilities(), ...options.capabilities };
  const env = options.env ?? process.env;
  const plan = planLimits(policy, caps);
  const activeLimits = [...plan.active];
  const warnings = [...plan.warnings];

  const denyNetwork = policy.network === "deny" || (policy.network_allow?.length ?? 0) > 0;
  if ((policy.network_allow?.length ?? 0) > 0) {
    warnings.push(
      `network_allow [${policy.network_allow!.join(", ")}] cannot be enforced by a network namespace alone; ` +
        "failing closed: all network access is denied",
    );
  }

  const writable = resolveExisting(policy.writable_paths ?? [], "writable", warnings);
  const readable = resolveExisting(expandHome(policy.readable_paths ?? [], env), "readable", warnings);
  const view = homeView(env, { writable, readable });
  const bwrapArgs: string[] = [];
  let seccompFile: string | undefined;
  if (caps.bwrap) {
    bwrapArgs.push("--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts");
    if (caps.userNamespaces) bwrapArgs.push("--unshare-user");
    bwrapArgs.push("--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");
    bwrapArgs.push("--tmpfs", "/tmp", ...view.before);
    bwrapArgs.push(
      ...readable.flatMap((p) => ["--ro-bind", p, p]),
      ...writable.flatMap((p) => ["--bind", p, p]),
    );
    bwrapArgs.push(...view.after);
    activeLimits.push(
      `filesystem read-only except [${writable.join(", ")}] and a private /tmp (bubblewrap, capabilities dropped${caps.userNamespaces ? ", user namespace" : ""})`,
      `home ${view.homes.join(", ") || "(none)"} hidden (empty tmpfs) except the workspace${readable.length ? ` and [${readable.join(", ")}]` : ""}; codetether's config/data/cache dirs and ~/.ssh-style credentials hidden`,
      "in each writable root: git dirs (hooks, info, config, commondir, worktrees, submodules, nested repositories) and codetether.toml / .codetether/ read-only, the root's own even when absent",
    );
    const hiddenPath = hiddenPathEntries(env, view.homes, [...writable, ...readable]);
    if (hiddenPath.length)
      warnings.push(
        `PATH entries inside the hidden home are not visible to sandboxed commands: ${hiddenPath.join(", ")} (add them to sandbox.default.readable_paths)`,
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
    // Whatever `network` says: a host daemon's socket (docker.sock) is root on the host, not "the network".
    if (policy.unix_sockets !== "allow") {
      seccompFile = caps.seccomp ? unixSocketFilterFile() : undefined;
      if (seccompFile) {
        bwrapArgs.push("--seccomp", "9");
        activeLimits.push("Unix sockets denied (seccomp: socket(AF_UNIX) and io_uring refused)");
      } else {
        warnings.push(
          `Unix sockets NOT blocked (e.g. /var/run/docker.sock stays reachable): ${caps.seccomp ? "no seccomp filter for this CPU architecture" : "bwrap could not load a seccomp filter here"}`,
        );
      }
    }
  } else {
    warnings.push(
      `writable_paths NOT enforced, home and secrets NOT hidden, no namespaces: bubblewrap unavailable (${caps.bwrapError ?? "bwrap not found; apt-get install bubblewrap"})`,
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
      const releases: Array<() => void> = [];
      let chain = argv;
      const rlimits = [...plan.rlimits];
      if (plan.nprocHeadroom !== undefined) rlimits.push(`--nproc=${nprocLimit(plan.nprocHeadroom)}`);
      if (rlimits.length > 0 && caps.prlimit) chain = [caps.prlimit, ...rlimits, "--", ...chain];
      if (caps.bwrap) {
        const protectedArgs = writable.flatMap((root) => {
          const mounts = protectWritableRoot(root);
          releases.push(mounts.release);
          return mounts.args;
        });
        const viewArgs = [
          ...bwrapArgs,
          ...cwdBind(cwd, view, writable, readable),
          ...extraReadable(wrapOptions.readablePaths ?? [], view),
          ...protectedArgs,
        ];
        chain = [caps.bwrap, ...viewArgs, "--chdir", cwd, "--", ...chain];
        if (seccompFile) chain = [...withSeccompFdArgs(seccompFile), ...chain];
      }
      if (plan.wallSeconds !== undefined && caps.timeout)
        chain = [caps.timeout, "-s", "KILL", String(plan.wallSeconds), ...chain];
      const cgroups: string[] = [];
      if (plan.pids) cgroups.push(createPidsCgroup(plan.pids.base, plan.pids.max));
      if (plan.cpu) {
        const dir = plan.cpu.base === plan.pids?.base ? cgroups[0]! : createCommandCgroup(plan.cpu.base);
        if (!cgroups.includes(dir)) cgroups.push(dir);
        releases.push(watchCpuBudget(dir, plan.cpu.seconds).stop);
      }
      if (cgroups.length) chain = [...enterCgroupArgs(cgroups), ...chain];
      let disposed = false;
      return {
        file: chain[0]!,
        args: chain.slice(1),
        env: filterEnv(wrapOptions.env ?? process.env, envAllow),
        cwd,
        dispose() {
          if (disposed) return;
          disposed = true;
          for (const release of releases) release();
          for (const dir of cgroups) removeCgroupLater(dir);
        },
      };
    },
  };
}

/**
 * A cwd the view hides (under /tmp or a home) is shown read-only unless a bound path covers it; never a home
 * or codetether dir itself.
 */
function cwdBind(cwd: string, view: HomeView, writable: string[], readable: string[]): string[] {
  if ([...writable, ...readable].some((p) => isUnder(cwd, p))) return [];
  const hiddenRoots = ["/tmp", ...view.homes, ...view.codetetherDirs];
  if (!hiddenRoots.some((root) => isUnder(cwd, root))) return [];
  if ([...view.homes, ...view.codetetherDirs].some((root) => isUnder(root, cwd))) return [];
  return ["--ro-bind", cwd, cwd];
}

function removeCgroupLater(dir: string): void {
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
}

function expandHome(paths: readonly string[], env: Record<string, string | undefined>): string[] {
  const home = env.HOME;
  return paths.map((p) => (home && (p === "~" || p.startsWith("~/")) ? path.join(home, p.slice(1)) : p));
}

function hiddenPathEntries(
  env: Record<string, string | undefined>,
  homes: string[],
  visible: string[],
): string[] {
  const entries = (env.PATH ?? "").split(":");
  return [...new Set(entries)].filter(
    (dir) => dir && homes.some((h) => isUnder(dir, h)) && !visible.some((v) => isUnder(dir, v)),
  );
}

/** Read-only binds for a command's own extra paths; missing ones and codetether's own dirs are skipped. */
function extraReadable(paths: readonly string[], view: HomeView): string[] {
  const out: string[] = [];
  for (const raw of paths) {
    let real: string;
    try {
      real = fs.realpathSync(path.resolve(raw));
    } catch {
      continue;
    }
    if (view.codetetherDirs.some((dir) => isUnder(real, dir) || isUnder(dir, real))) continue;
    out.push("--ro-bind", real, real);
  }
  return out;
}

function resolveExisting(
  paths: readonly string[],
  kind: "writable" | "readable",
  warnings: string[],
): string[] {
  const out: string[] = [];
  for (const raw of paths) {
    try {
      out.push(fs.realpathSync(path.resolve(raw)));
    } catch {
      warnings.push(
        `${kind} path ${raw} does not exist; it stays ${kind === "writable" ? "unwritable" : "hidden"}`,
      );
    }
  }
  return out;
}

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
