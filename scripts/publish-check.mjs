#!/usr/bin/env node
// `pnpm check:publish`: publint (strict) and @arethetypeswrong/cli on the packed tarball of every
// publishable package. Packs with pnpm so `workspace:*` ranges are rewritten exactly as on publish.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { metadataProblems } from "./consumer/metadata.mjs";
import { isBuilt, packAll } from "./consumer/pack.mjs";

const PUBLINT = "publint@0.3.25";
const ATTW = "@arethetypeswrong/cli@0.18.5";

function run(args) {
  return new Promise((resolve) => {
    const child = spawn("npx", ["-y", "--prefer-offline", ...args], {
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

async function checkPackage({ file, manifest }) {
  const checks = [run([PUBLINT, "run", file, "--strict"])];
  // A package with only a bin (the CLI) has no entry point for attw to resolve types for.
  const hasEntry = Object.keys(manifest.exports ?? {}).some((k) => k !== "./package.json");
  if (hasEntry) checks.push(run([ATTW, file, "--profile", "esm-only", "--format", "ascii"]));
  const [publint, attw] = await Promise.all(checks);
  const listing = execFileSync("tar", ["-tzf", file], { encoding: "utf8" });
  return { name: manifest.name, publint, attw, metadata: metadataProblems(manifest, listing) };
}

const dest = fs.mkdtempSync(path.join(os.tmpdir(), "ct-publish-check-"));
try {
  const all = packAll(dest);
  const publishable = [...all.values()].filter((p) => !p.manifest.private);
  const results = [];
  let failed = 0;
  for (const p of publishable.filter((p) => !isBuilt(p))) {
    failed++;
    console.log(
      `FAIL ${p.manifest.name}  not built: its tarball has no dist/ (run \`npx -y pnpm@10.34.8 build\` first)`,
    );
  }
  const built = publishable.filter(isBuilt);
  // Two at a time: the machine is shared.
  for (let i = 0; i < built.length; i += 2) {
    results.push(...(await Promise.all(built.slice(i, i + 2).map(checkPackage))));
  }
  for (const { name, publint, attw, metadata } of results) {
    const ok = publint.code === 0 && (!attw || attw.code === 0) && metadata.length === 0;
    const attwState = attw ? (attw.code === 0 ? "ok" : "fail") : "skipped (bin only)";
    console.log(
      `${ok ? "ok  " : "FAIL"} ${name}  publint:${publint.code === 0 ? "ok" : "fail"} attw:${attwState} metadata:${metadata.length ? "fail" : "ok"}`,
    );
    if (!ok) {
      failed++;
      if (publint.code !== 0) console.log(publint.out.replace(/^/gm, "    "));
      if (attw && attw.code !== 0) console.log(attw.out.replace(/^/gm, "    "));
      for (const problem of metadata) console.log(`    package.json: ${problem}`);
    }
  }
  console.log(
    failed
      ? `\n${failed} package(s) failed the publish checks.`
      : `\nAll ${results.length} publishable packages pass publint, attw and the metadata checks.`,
  );
  process.exitCode = failed ? 1 : 0;
} finally {
  fs.rmSync(dest, { recursive: true, force: true });
}
