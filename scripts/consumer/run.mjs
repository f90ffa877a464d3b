#!/usr/bin/env node
// `pnpm test:consumer [use...]`: packs every package, then runs each use (see uses.mjs) from the tarballs in
// a fresh project outside the workspace. Needs built packages (`pnpm build`).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { assertBuilt, packAll, ROOT } from "./pack.mjs";
import { closureOf } from "./project.mjs";
import { USES } from "./uses.mjs";

const only = process.argv.slice(2);
const unknown = only.filter((n) => !USES.some((u) => u.name === n));
if (unknown.length) {
  console.error(`Unknown use(s): ${unknown.join(", ")}. Choose from: ${USES.map((u) => u.name).join(", ")}.`);
  process.exit(2);
}
const selected = USES.filter((u) => only.length === 0 || only.includes(u.name));
const log = (line) => console.log(line);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ct-consumer-"));
if (path.resolve(tmp).startsWith(`${ROOT}${path.sep}`))
  throw new Error("the temp dir must be outside the workspace");

const testingEntry = path.join(ROOT, "packages/testing/dist/index.js");
if (!fs.existsSync(testingEntry))
  throw new Error("@codetether/testing is not built: run `npx -y pnpm@10.34.8 build` first.");
const testing = await import(pathToFileURL(testingEntry).href);

const started = Date.now();
let failed = 0;
try {
  const packages = packAll(path.join(tmp, "tarballs"));
  log(`packed ${packages.size} packages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const use of selected) {
    const t0 = Date.now();
    try {
      assertBuilt(packages, closureOf(use.needs, packages));
      const useTmp = path.join(tmp, use.name);
      fs.mkdirSync(useTmp);
      await use.run({ packages, tmp: useTmp, log, testing });
      log(`ok   ${use.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failed++;
      log(
        `FAIL ${use.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n${String(err.message ?? err).replace(/^/gm, "     ")}`,
      );
    }
  }
} finally {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: not a turbo task; a debugging switch.
  if (failed && process.env.KEEP_CONSUMER_TMP) log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
log(
  `${failed ? `${failed} of ${selected.length} uses failed` : `all ${selected.length} uses passed`} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exitCode = failed ? 1 : 0;
