#!/usr/bin/env node
// Regenerates the install footprint sentence of the README (between <!-- footprint:start --> and
// <!-- footprint:end -->) from the newest bench/results/<date>.json that has the `footprint` bench
// (`node bench/run.mjs --only footprint`). Never edit that sentence by hand.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const START = "<!-- footprint:start -->";
const END = "<!-- footprint:end -->";

function fail(message) {
  process.stderr.write(`update-readme-footprint: ${message}\n`);
  process.exit(1);
}

const dir = path.join(root, "bench/results");
const files = fs
  .readdirSync(dir)
  .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
  .sort()
  .reverse();
let found;
for (const file of files) {
  const result = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  const bench = result.results?.find((r) => r.bench === "footprint" && !r.error);
  if (bench) {
    found = { file, result, bench };
    break;
  }
}
if (!found) fail("no results with the footprint bench: run `node bench/run.mjs --only footprint` first.");

const row = (prefix) => found.bench.rows.find((r) => r.metric.startsWith(prefix));
const cli = row("npm i -g codetether");
const runtime = row("+ llama.cpp CPU runtime");
if (!cli || !runtime) fail(`bench/results/${found.file} lacks the footprint rows.`);
const mb = (r) => `${Math.round(r.subject.median)} MB`;
const text = [
  START,
  `Footprint (disk usage, measured by \`bench/footprint.bench.mjs\` on ${found.result.date.slice(0, 10)}, bench/results/${found.file}):`,
  `\`npm i -g codetether\` installs ${mb(cli)} (one package, no dependencies; target ≤ 60 MB); the llama.cpp CPU`,
  `runtime the local default adds on first use is ${mb(runtime)} (target ≤ 100 MB), plus the model you choose.`,
  END,
].join("\n");

const readmeFile = path.join(root, "README.md");
const readme = fs.readFileSync(readmeFile, "utf8");
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) fail(`README.md has no ${START} … ${END} block.`);
fs.writeFileSync(readmeFile, readme.slice(0, from) + text + readme.slice(to + END.length));
process.stdout.write(`README footprint from bench/results/${found.file}\n`);
