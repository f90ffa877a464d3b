import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

type Json = Record<string, unknown>;
const CONDITIONS = ["import", "node", "default"];

/** Picks the target of a conditional `exports` value for an ESM import in Node. */
function pickTarget(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = pickTarget(v);
      if (t) return t;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [cond, target] of Object.entries(value as Json)) {
      if (CONDITIONS.includes(cond)) {
        const t = pickTarget(target);
        if (t) return t;
      }
    }
  }
  return undefined;
}

function entryOf(pkgDir: string, manifest: Json, subpath: string): string | undefined {
  const exportsField = manifest.exports;
  if (exportsField !== undefined) {
    const isSubpathMap =
      exportsField && typeof exportsField === "object" && !Array.isArray(exportsField)
        ? Object.keys(exportsField).some((k) => k.startsWith("."))
        : false;
    const target = isSubpathMap
      ? pickTarget((exportsField as Json)[subpath])
      : subpath === "."
        ? pickTarget(exportsField)
        : undefined;
    return target ? path.join(pkgDir, target) : undefined;
  }
  if (subpath !== ".") return path.join(pkgDir, subpath);
  return path.join(pkgDir, typeof manifest.main === "string" ? manifest.main : "index.js");
}

/**
 * Resolves a module specifier the way an ESM import from `fromDir` would: a path relative to the project, or an
 * installed package found in `node_modules` of `fromDir` or a parent (honouring `exports`). Returns a file URL.
 */
export function resolveProjectModule(spec: string, fromDir: string): string | undefined {
  if (spec.startsWith("file:")) return spec;
  if (spec.startsWith(".") || path.isAbsolute(spec)) {
    const file = path.resolve(fromDir, spec);
    return fs.existsSync(file) ? pathToFileURL(file).href : undefined;
  }
  const parts = spec.split("/");
  const nameParts = spec.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameParts).join("/");
  const subpath = parts.length > nameParts ? `./${parts.slice(nameParts).join("/")}` : ".";
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, "node_modules", name);
    const manifestFile = path.join(pkgDir, "package.json");
    if (fs.existsSync(manifestFile)) {
      const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Json;
      const entry = entryOf(pkgDir, manifest, subpath);
      return entry && fs.existsSync(entry) ? pathToFileURL(entry).href : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
