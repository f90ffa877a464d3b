import fs from "node:fs";
import path from "node:path";

/** The outermost `node_modules` folder on `file`'s path, if any. */
function outermostNodeModules(file: string): string | undefined {
  const parts = file.split(path.sep);
  const index = parts.indexOf("node_modules");
  return index > 0 ? parts.slice(0, index + 1).join(path.sep) : undefined;
}

/**
 * The folders a language server installed outside the workspace must read to start: for `command` (an absolute
 * path) the outermost `node_modules` on its path and on its real path (pnpm links `.bin` entries into a store
 * beside them), else the folder above its `bin`. A sandboxed server gets them read-only; without them a server
 * installed under a hidden home or /tmp (npx, pnpm's global store) could not start.
 */
export function serverInstallRoots(command: string): string[] {
  if (!path.isAbsolute(command)) return [];
  let real = command;
  try {
    real = fs.realpathSync(command);
  } catch {
    return [];
  }
  const roots = [outermostNodeModules(command), outermostNodeModules(real)].filter(
    (root): root is string => root !== undefined,
  );
  if (roots.length === 0) roots.push(path.dirname(path.dirname(real)));
  return [...new Set(roots)];
}
