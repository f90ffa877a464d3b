import fs from "node:fs";
import path from "node:path";

/** Resolves symlinks of the longest existing prefix, so a not-yet-created file is still checked. */
export function realpathLoose(target: string): string {
  const parts: string[] = [];
  let current = path.resolve(target);
  for (;;) {
    try {
      const real = fs.realpathSync.native(current);
      return parts.length ? path.join(real, ...parts.reverse()) : real;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(target);
      parts.push(path.basename(current));
      current = parent;
    }
  }
}

/** True when `target` (after resolving symlinks) lies inside `root`. */
export function isInside(root: string, target: string): boolean {
  const realRoot = realpathLoose(root);
  const realTarget = realpathLoose(target);
  const rel = path.relative(realRoot, realTarget);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** True when the real path of `target` lies inside one of `roots` (the workspace and configured extra roots). */
export function isInsideAny(roots: string[], target: string): boolean {
  return roots.some((root) => isInside(root, target));
}
