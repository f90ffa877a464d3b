// Builds a consumer project outside the workspace from an example: copies it, points its @codetether/*
// dependencies (and their @codetether/* dependencies) at the packed tarballs, installs with npm, and lists
// what got installed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./pack.mjs";

const isOurs = (name) => name === "codetether" || name.startsWith("@codetether/");

/** Our packages a set of names needs at run time (dependencies only: optional peers and dev deps are not). */
export function closureOf(names, packages) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    const pkg = packages.get(name);
    if (!pkg) throw new Error(`${name} is needed but was not packed.`);
    seen.add(name);
    for (const dep of Object.keys(pkg.manifest.dependencies ?? {})) if (isOurs(dep)) visit(dep);
  };
  for (const name of names) visit(name);
  return seen;
}

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
}

/**
 * Copies `examples/<example>` (or writes `files`) to `<dir>/<example>` and installs it from the tarballs.
 * @returns {{ dir: string, ours: Set<string> }}
 */
export function prepareProject(example, dir, packages, log, files) {
  const projectDir = path.join(dir, example);
  if (files) {
    // A project made on the spot (e.g. from README snippets) instead of an examples/ directory.
    fs.mkdirSync(projectDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(projectDir, name), text);
  } else copyDir(path.join(ROOT, "examples", example), projectDir);
  const manifestFile = path.join(projectDir, "package.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  const direct = Object.keys(manifest.dependencies ?? {}).filter(isOurs);
  const ours = closureOf(direct, packages);
  // Every needed tarball becomes a dependency, so npm never asks the registry for an unpublished @codetether/*.
  for (const name of ours) manifest.dependencies[name] = `file:${packages.get(name).file}`;
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  const started = Date.now();
  const res = spawnSync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", "--install-links"],
    { cwd: projectDir, encoding: "utf8", env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" } },
  );
  if (res.status !== 0) throw new Error(`npm install in ${projectDir} failed:\n${res.stdout}\n${res.stderr}`);
  log(`  installed ${example} (${[...ours].join(", ")}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { dir: projectDir, ours };
}

/** Names of every package under node_modules, at any depth (scoped ones as `@scope/name`). */
export function installedPackages(projectDir) {
  const names = new Set();
  const walk = (nm) => {
    let entries;
    try {
      entries = fs.readdirSync(nm, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      if (entry.name.startsWith("@")) {
        for (const sub of fs.readdirSync(path.join(nm, entry.name))) {
          names.add(`${entry.name}/${sub}`);
          walk(path.join(nm, entry.name, sub, "node_modules"));
        }
      } else {
        names.add(entry.name);
        walk(path.join(nm, entry.name, "node_modules"));
      }
    }
  };
  walk(path.join(projectDir, "node_modules"));
  return names;
}

/** Never needed by any consumer: our test fakes and build tools. */
export const NEVER = ["@codetether/testing", "vitest", "tsup", "typescript", "@biomejs/biome", "turbo"];

/** Throws naming every forbidden package that was installed and every required one that was not. */
export function assertInstalled(projectDir, { forbidden = [], required = [] }) {
  const installed = installedPackages(projectDir);
  const extra = [...forbidden, ...NEVER].filter((n) => installed.has(n));
  const missing = required.filter((n) => !installed.has(n));
  if (extra.length || missing.length)
    throw new Error(
      [
        extra.length ? `installed but not needed: ${extra.join(", ")}` : "",
        missing.length ? `needed but not installed: ${missing.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; "),
    );
  return installed;
}
