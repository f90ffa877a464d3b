#!/usr/bin/env node
// `pnpm check:changesets`: runs `changeset version` and `pnpm -r publish --dry-run` on a temporary copy of the
// workspace, so the working tree (package versions, changelogs, .changeset/*.md) is never touched.
// Needs built packages (`pnpm build`): publish packs dist/.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const PNPM = ["-y", "pnpm@10.34.8"];
const SKIP = new Set(["node_modules", ".git", ".turbo", "coverage", "test-results.json"]);

function run(args, cwd) {
  const res = spawnSync("npx", [...PNPM, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const out = `${res.stdout}${res.stderr}`;
  if (res.status !== 0) throw new Error(`\`pnpm ${args.join(" ")}\` failed (exit ${res.status}):\n${out}`);
  return out;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ct-changesets-"));
const copy = path.join(tmp, "workspace");
try {
  // The working tree as it is (committed or not, dist/ included), without any node_modules...
  fs.cpSync(ROOT, copy, { recursive: true, filter: (src) => !SKIP.has(path.basename(src)) });
  // ...which the copy borrows from the real workspace: the root one (pnpm store links) and each package's.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"));
  for (const group of ["packages", "apps"]) {
    for (const name of fs.readdirSync(path.join(copy, group))) {
      const real = path.join(ROOT, group, name, "node_modules");
      if (fs.existsSync(real)) fs.symlinkSync(real, path.join(copy, group, name, "node_modules"));
    }
  }
  const pending = fs
    .readdirSync(path.join(copy, ".changeset"))
    .filter((n) => n.endsWith(".md") && n !== "README.md");
  console.log(`${pending.length} pending changeset(s)`);

  run(["changeset", "version"], copy);
  const bumped = [];
  for (const group of ["packages", "apps"]) {
    for (const name of fs.readdirSync(path.join(copy, group))) {
      const file = path.join(group, name, "package.json");
      if (!fs.existsSync(path.join(ROOT, file))) continue;
      const before = JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));
      const after = JSON.parse(fs.readFileSync(path.join(copy, file), "utf8"));
      if (before.version !== after.version) bumped.push(`${after.name} ${before.version} → ${after.version}`);
    }
  }
  const left = fs
    .readdirSync(path.join(copy, ".changeset"))
    .filter((n) => n.endsWith(".md") && n !== "README.md");
  if (left.length) throw new Error(`changeset version left changesets unapplied: ${left.join(", ")}`);
  console.log(`changeset version: ${bumped.length ? `\n  ${bumped.join("\n  ")}` : "nothing to bump"}`);

  const out = run(["-r", "publish", "--dry-run", "--no-git-checks"], copy);
  const published = out.match(/^\+ \S+@\S+/gm) ?? [];
  console.log(`pnpm -r publish --dry-run: ${published.length} package(s) would be published`);
  for (const line of published) console.log(`  ${line.slice(2)}`);
  console.log("check:changesets passed (the working tree was not modified).");
} catch (err) {
  console.error(err.message);
  process.exitCode = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
