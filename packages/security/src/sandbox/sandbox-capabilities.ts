import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

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
}

let cached: SandboxCapabilities | undefined;

export function findExecutable(
  name: string,
  envPath = process.env.PATH ?? "/usr/bin:/bin",
): string | undefined {
  for (const dir of [...envPath.split(":"), "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    if (!dir) continue;
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
    userNamespaces: false,
    networkNamespaces: false,
    root: process.getuid?.() === 0,
    pidsCgroup: findPidsCgroup(),
  };
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
    }
  }
  cached = caps;
  return caps;
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
