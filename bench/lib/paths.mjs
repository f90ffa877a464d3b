// Where the benches find the built packages (run `pnpm build` first: benches use dist/, like users do).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const cliBin = path.join(root, "apps/cli/dist/bin.js");

/** file:// URL of a workspace package's built entry, with a clear error when it is not built. */
export function distUrl(dir) {
  const file = path.join(root, dir, "dist/index.js");
  if (!fs.existsSync(file))
    throw new Error(`${dir} is not built (${file} missing): run \`pnpm build\` first.`);
  return pathToFileURL(file).href;
}

/** Peak RSS of this process in MB (getrusage maxrss). */
export function selfPeakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}
