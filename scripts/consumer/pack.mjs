// Packs every workspace package with `pnpm -r pack` (workspace:* ranges become real versions) and maps
// package names to their tarballs.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const PNPM = ["-y", "pnpm@10.34.8"];

/** Reads package.json out of a tarball without unpacking it to disk. */
function manifestOf(tarball) {
  return JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" }));
}

/**
 * Packs all workspace packages (not the examples) into `dest`.
 * @returns {Map<string, {file: string, manifest: Record<string, any>}>}
 */
export function packAll(dest) {
  fs.mkdirSync(dest, { recursive: true });
  const args = [
    ...PNPM,
    "-r",
    "--filter",
    "./packages/*",
    "--filter",
    "./apps/*",
    "pack",
    "--pack-destination",
    dest,
  ];
  const res = spawnSync("npx", args, { cwd: ROOT, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`pnpm pack failed:\n${res.stdout}\n${res.stderr}`);
  const packages = new Map();
  for (const name of fs.readdirSync(dest).filter((n) => n.endsWith(".tgz"))) {
    const file = path.join(dest, name);
    const manifest = manifestOf(file);
    packages.set(manifest.name, { file, manifest });
  }
  return packages;
}

/** True when the tarball holds build output (dist/). */
export function isBuilt(pkg) {
  return execFileSync("tar", ["-tzf", pkg.file], { encoding: "utf8" }).includes("package/dist/");
}

/** Fails early and clearly when a package is missing or was packed without its build output. */
export function assertBuilt(packages, names) {
  for (const name of names) {
    const pkg = packages.get(name);
    if (!pkg)
      throw new Error(`${name} is not a workspace package (packed: ${[...packages.keys()].join(", ")}).`);
    if (!isBuilt(pkg))
      throw new Error(`${name} was packed without dist/: run \`npx -y pnpm@10.34.8 build\` (turbo) first.`);
  }
}
