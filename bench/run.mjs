#!/usr/bin/env node
// Runs every bench/*.bench.mjs, prints one table, and writes bench/results/<date>.json with machine info.
// `--quick` (CI) uses few repetitions and writes to a temp file: it keeps the scripts working, nothing more.
// `--only name[,name]` runs a subset.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { machineInfo } from "./lib/machine.mjs";
import { fmt } from "./lib/stats.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyArg =
  args.find((a) => a.startsWith("--only="))?.slice(7) ??
  (args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined);
const only = onlyArg ? new Set(onlyArg.split(",")) : undefined;

const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => !only || only.has(f.replace(".bench.mjs", "")))
  .sort();

const results = [];
let failed = 0;
for (const file of files) {
  const name = file.replace(".bench.mjs", "");
  process.stderr.write(`bench ${name}${quick ? " (quick)" : ""} ...\n`);
  try {
    const mod = await import(pathToFileURL(path.join(here, file)).href);
    const result = await mod.run({ quick });
    results.push({ bench: name, ...result });
  } catch (err) {
    failed++;
    process.stderr.write(`bench ${name} failed: ${err.stack ?? err}\n`);
    results.push({ bench: name, error: String(err.message ?? err), rows: [] });
  }
}

const header = ["bench", "metric", "subject", "baseline", "ratio", "target"];
const table = [header];
for (const r of results) {
  for (const row of r.rows ?? []) {
    table.push([
      r.bench,
      row.metric,
      `${fmt(row.subject?.median, row.unit)} (${fmt(row.subject?.min)}–${fmt(row.subject?.max)})`,
      row.baseline ? `${row.baselineName ?? "baseline"} ${fmt(row.baseline.median, row.unit)}` : "-",
      row.ratio !== undefined ? `${row.ratio}×` : "-",
      row.target ?? "",
    ]);
  }
  if (r.error) table.push([r.bench, "ERROR", r.error.slice(0, 60), "", "", ""]);
}
const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
for (const row of table) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join("  "));

for (const r of results) for (const note of r.notes ?? []) console.log(`note: ${note}`);

const date = new Date().toISOString().slice(0, 10);
const out = quick
  ? path.join(os.tmpdir(), `codetether-bench-quick-${process.pid}.json`)
  : path.join(here, "results", `${date}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
// `--only` in a full run replaces just those benches in today's file, so one bench can be re-run.
let saved = results;
if (only && !quick && fs.existsSync(out)) {
  const previous = JSON.parse(fs.readFileSync(out, "utf8")).results ?? [];
  const fresh = new Set(results.map((r) => r.bench));
  saved = [...previous.filter((r) => !fresh.has(r.bench)), ...results].sort((a, b) =>
    a.bench.localeCompare(b.bench),
  );
}
fs.writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), quick, machine: machineInfo(), results: saved }, null, 2)}\n`,
);
console.log(`\nresults: ${out}`);
process.exit(failed ? 1 : 0);
