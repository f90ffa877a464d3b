import fs from "node:fs";
import path from "node:path";

/** Every `node_modules` folder Node's module resolution would search from `file`'s folder (and `file`'s own). */
function nodeModulesOnPath(file: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (path.basename(dir) === "node_modules") out.push(dir);
    else if (fs.existsSync(path.join(dir, "node_modules"))) out.push(path.join(dir, "node_modules"));
    if (path.dirname(dir) === dir) return out;
  }
}

/**
 * The folders a language server installed outside the workspace must read to start: for `command` (an absolute
 * path) every `node_modules` folder on its module resolution path and on its real path (pnpm's `.bin` entries are
 * scripts that run the package through the workspace root's store), else the folder above its `bin`. A sandboxed
 * server gets them read-only; without them a server installed under a hidden home or /tmp (npx, pnpm's global
 * store, a checkout under /tmp) could not start.
 */
export function serverInstallRoots(command: string): string[] {
  if (!path.isAbsolute(command)) return [];
  let real: string;
  try {
    real = fs.realpathSync(command);
  } catch {
    return [];
  }
  const roots = [...nodeModulesOnPath(command), ...nodeModulesOnPath(real)];
  if (roots.length === 0) roots.push(path.dirname(path.dirname(real)));
  return [...new Set(roots)];
}
