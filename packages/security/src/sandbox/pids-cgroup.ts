import fs from "node:fs";
import path from "node:path";

const PREFIX = "codetether-sandbox-";
let counter = 0;

/**
 * Creates a pids cgroup limited to `max` tasks. Needed as root, where the kernel ignores RLIMIT_NPROC.
 * Also removes empty groups left by earlier sandboxed commands.
 */
export function createPidsCgroup(base: string, max: number): string {
  const dir = createCommandCgroup(base);
  fs.writeFileSync(path.join(dir, "pids.max"), String(max));
  return dir;
}

/** A fresh child cgroup of `base` for one sandboxed command (the CPU budget's, or the pids limit's). */
export function createCommandCgroup(base: string): string {
  sweepPidsCgroups(base);
  const dir = path.join(base, `${PREFIX}${process.pid}-${Date.now()}-${counter++}`);
  fs.mkdirSync(dir);
  return dir;
}

/**
 * Removes our empty sandbox cgroups (rmdir fails harmlessly while processes remain). Groups younger than a
 * minute are left alone: another wrap() may have created one that its shell has not entered yet.
 */
export function sweepPidsCgroups(base: string, minAgeMs = 60_000): void {
  let names: string[];
  try {
    names = fs.readdirSync(base).filter((name) => name.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const created = Number(name.slice(PREFIX.length).split("-")[1]);
    if (Number.isFinite(created) && Date.now() - created < minAgeMs) continue;
    try {
      fs.rmdirSync(path.join(base, name));
    } catch {
      // still in use
    }
  }
}

/** `sh -c` prefix that moves the shell into the cgroups (one per hierarchy) and then execs the real command. */
export function enterCgroupArgs(dirs: readonly string[]): string[] {
  return [
    "/bin/sh",
    "-c",
    'IFS=:; for d in $0; do echo $$ > "$d/cgroup.procs" || exit 125; done; unset IFS; exec "$@"',
    dirs.join(":"),
  ];
}
