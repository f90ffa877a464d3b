#!/usr/bin/env node
// The `codetether` CLI bundles the workspace packages it uses (they are its devDependencies, so changesets does not
// bump it when one of them changes). A release that bumps any of them must bump `codetether` too, or the published
// CLI would keep the old code. `changeset version` consumes every pending changeset at once, so the rule is checked
// over the whole set: some bundled package named → `codetether` named somewhere.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const cli = JSON.parse(fs.readFileSync(path.join(ROOT, "apps/cli/package.json"), "utf8"));
const bundled = new Set(
  Object.entries(cli.devDependencies ?? {})
    .filter(([, range]) => String(range).startsWith("workspace:"))
    .map(([name]) => name)
    // Private packages are never published: bumping them releases nothing.
    .filter((name) => !privatePackages().has(name)),
);

function privatePackages() {
  const names = new Set();
  for (const group of ["packages", "apps"]) {
    for (const dir of fs.readdirSync(path.join(ROOT, group))) {
      const file = path.join(ROOT, group, dir, "package.json");
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
      if (pkg.private) names.add(pkg.name);
    }
  }
  return names;
}

/** Package names in a changeset's front matter (`"name": patch|minor|major`). */
function namedPackages(text) {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
  return [...front.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:\s*(patch|minor|major)\s*$/gm)].map((m) => m[1]);
}

const dir = path.join(ROOT, ".changeset");
const named = new Map();
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md")) {
  for (const name of namedPackages(fs.readFileSync(path.join(dir, file), "utf8"))) {
    named.set(name, [...(named.get(name) ?? []), file]);
  }
}
const touched = [...named.keys()].filter((name) => bundled.has(name));
if (touched.length && !named.has("codetether")) {
  const where = touched.map((name) => `${name} (${named.get(name).join(", ")})`).join("; ");
  console.error(
    `check-cli-bump: pending changesets bump packages bundled into the codetether CLI — ${where} — but none bumps ` +
      '"codetether". Add `"codetether": patch` (or minor) to one of them, or a changeset of its own.',
  );
  process.exit(1);
}
console.log(
  touched.length
    ? `check-cli-bump: codetether is bumped with its bundled packages (${touched.length} named).`
    : "check-cli-bump: no bundled package is bumped.",
);
