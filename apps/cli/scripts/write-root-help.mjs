// Post-build step: renders `codetether --help` for every terminal width with the built command tree and writes
// dist/root-help.json (temp file + rename), which dist/bin.cjs prints without loading commander.
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const { rootHelpSnapshot } = await import("../dist/help-snapshot.cjs");
const snapshot = rootHelpSnapshot(version);
const target = new URL("../dist/root-help.json", import.meta.url);
const temp = new URL(`../dist/root-help.json.${process.pid}.tmp`, import.meta.url);
writeFileSync(temp, `${JSON.stringify(snapshot)}\n`);
renameSync(temp, target);
console.log(
  `root help: ${snapshot.texts.length} distinct texts over widths 0–${snapshot.byWidth.length - 1} → dist/root-help.json`,
);
