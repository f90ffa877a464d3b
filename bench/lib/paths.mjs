// Where the benches find the built packages (run `pnpm build` first: benches use dist/, like users do).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const cliBin = path.join(root, "apps/cli/dist/bin.cjs");

/** file:// URL of a workspace package's built entry, with a clear error when it is not built. */
export function distUrl(dir) {
  const file = path.join(root, dir, "dist/index.js");
  if (!fs.existsSync(file))
    throw new Error(`${dir} is not built (${file} missing): run \`pnpm build\` first.`);
  return pathToFileURL(file).href;
}

/**
 * Peak RSS of this process in MB: VmHWM of /proc/self/status, the high-water mark of this program's own memory.
 * getrusage's maxrss is not: Linux carries it over from the parent through fork and exec, so a child of a
 * 70 MB bench runner reports at least 70 MB however little it used. maxrss only where /proc is missing.
 */
export function selfPeakRssMb() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch {}
  return process.resourceUsage().maxRSS / 1024;
}

/** The same measurement as a `node -e` script for a child process (prints the MB figure). */
export const PRINT_SELF_PEAK_RSS_MB = `const m = /VmHWM:\\s+(\\d+) kB/.exec(require("node:fs").readFileSync("/proc/self/status", "utf8"));
console.log(m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024);`;
