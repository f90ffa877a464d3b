import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { unixSocketFilterFile, withSeccompFdArgs } from "./seccomp-filter.js";

/** What this machine lets the sandbox use; probed once per process. */
export interface SandboxCapabilities {
  prlimit?: string;
  bwrap?: string;
  unshare?: string;
  /** bwrap can create a user namespace (so the sandbox has no real capabilities even when we are root). */
  userNamespaces: boolean;
  /** bwrap can create a network namespace. */
  networkNamespaces: boolean;
  /** Why bwrap is unusable, if it is. */
  bwrapError?: string;
  /** Running as uid 0, where RLIMIT_NPROC is not enforced by the kernel. */
  root: boolean;
  /** A pids cgroup directory we can create child groups in, for max_processes as root. */
  pidsCgroup?: string;
  /** A cgroup directory with CPU accounting we can create child groups in, for a tree-wide CPU budget. */
  cpuCgroup?: string;
  /** bwrap accepts our seccomp filter (`--seccomp`), so `network = "deny"` also blocks Unix sockets. */
  seccomp: boolean;
  /** coreutils `timeout`, the wall-clock fallback when no CPU cgroup is writable. */
  timeout?: string;
}

let cached: SandboxCapabilities | undefined;

export function findExecutable(
  name: string,
  envPath = process.env.PATH ?? "/usr/bin:/bin",
): string | undefined {
  for (const dir of [...envPath.split(":"), "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    // A relative entry (`node_modules/.bin`, `.`) means the workspace: a `bwrap` the model wrote there must never
    // stand in for the sandbox.
    if (!path.isAbsolute(dir)) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

const runs = (file: string, args: string[]) => {
  const result = spawnSync(file, args, { stdio: ["ignore", "ignore", "pipe"], timeout: 5000 });
  return { ok: result.status === 0, stderr: result.stderr?.toString().trim() ?? String(result.error ?? "") };
};

/** Probes the machine (binaries, namespaces, cgroups). Cached; pass `refresh` to probe again. */
export function probeSandboxCapabilities(refresh = false): SandboxCapabilities {
  if (cached && !refresh) return cached;
  const bwrap = findExecutable("bwrap");
  const caps: SandboxCapabilities = {
    prlimit: findExecutable("prlimit"),
    bwrap,
    unshare: findExecutable("unshare"),
    timeout: findExecutable("timeout"),
    userNamespaces: false,
    networkNamespaces: false,
    seccomp: false,
    root: process.getuid?.() === 0,
    pidsCgroup: findPidsCgroup(),
  };
  caps.cpuCgroup = findCpuCgroup(caps.pidsCgroup);
  if (bwrap) {
    const base = ["--ro-bind", "/", "/", "--dev", "/dev"];
    const user = runs(bwrap, ["--unshare-user", ...base, "true"]);
    caps.userNamespaces = user.ok;
    const userFlag = user.ok ? ["--unshare-user"] : [];
    const plain = runs(bwrap, [...userFlag, ...base, "true"]);
    if (!plain.ok) {
      caps.bwrap = undefined;
      caps.bwrapError = plain.stderr || "bwrap failed to start";
    } else {
      caps.networkNamespaces = runs(bwrap, [...userFlag, "--unshare-net", ...base, "true"]).ok;
      caps.seccomp = probeSeccomp(bwrap, [...userFlag, ...base]);
    }
  }
  cached = caps;
  return caps;
}

/** Whether bwrap loads our filter and the filter really refuses `socket(AF_UNIX)` while allowing the rest. */
function probeSeccomp(bwrap: string, base: string[]): boolean {
  let filter: string | undefined;
  try {
    filter = unixSocketFilterFile();
  } catch {
    return false;
  }
  if (!filter) return false;
  const [sh, ...shArgs] = withSeccompFdArgs(filter);
  const python =
    "import socket\ntry:\n socket.socket(socket.AF_UNIX)\nexcept PermissionError:\n raise SystemExit(0)\nraise SystemExit(3)";
  // perl is in every Debian base system; python3 as a second choice; else only check that bwrap accepts it.
  const perl = findExecutable("perl");
  const py = findExecutable("python3");
  const probe = perl
    ? [perl, "-MSocket", "-e", "socket(my $s, AF_UNIX, SOCK_STREAM, 0) ? exit 3 : exit 0"]
    : py
      ? [py, "-c", python]
      : ["true"];
  return runs(sh!, [...shArgs, bwrap, "--seccomp", "9", ...base, ...probe]).ok;
}

/** A directory with CPU accounting (v1 cpuacct, or the v2 group used for pids) we may create children in. */
function findCpuCgroup(pidsCgroup: string | undefined): string | undefined {
  const self = safeRead("/proc/self/cgroup") ?? "";
  const candidates: string[] = [];
  for (const line of self.split("\n")) {
    const [, controllers, rel] = line.split(":");
    if (rel === undefined || !controllers?.split(",").includes("cpuacct")) continue;
    candidates.push(path.join("/sys/fs/cgroup", controllers, rel), path.join("/sys/fs/cgroup/cpuacct", rel));
  }
  if (pidsCgroup && !pidsCgroup.startsWith("/sys/fs/cgroup/pids")) candidates.push(pidsCgroup);
  for (const dir of candidates) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
      const accounted =
        fs.existsSync(path.join(dir, "cpuacct.usage")) || fs.existsSync(path.join(dir, "cpu.stat"));
      if (accounted && fs.existsSync(path.join(dir, "cgroup.procs"))) return dir;
    } catch {
      // not writable
    }
  }
  return undefined;
}

/** The pids controller directory of our own cgroup, if we may create children in it (cgroup v1 or v2). */
function findPidsCgroup(): string | undefined {
  let self: string;
  try {
    self = fs.readFileSync("/proc/self/cgroup", "utf8");
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const line of self.split("\n")) {
    const [, controllers, rel] = line.split(":");
    if (rel === undefined) continue;
    if (controllers?.split(",").includes("pids")) candidates.push(path.join("/sys/fs/cgroup/pids", rel));
    if (controllers === "") {
      const v2 = path.join("/sys/fs/cgroup", rel);
      const subtree = safeRead(path.join(v2, "cgroup.subtree_control"));
      if (subtree?.split(/\s+/).includes("pids")) candidates.push(v2);
    }
  }
  for (const dir of candidates) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
      if (fs.existsSync(path.join(dir, "cgroup.procs"))) return dir;
    } catch {
      // not writable
    }
  }
  return undefined;
}

function safeRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
