// Start-up: `codetether --version` and `--help` against bare `node -e 0`, interleaved in one run.
// `--help` prints the help pre-rendered at build time (apps/cli/src/help); `run --help` is measured too, because
// it goes through commander and the command tree like every real command does.
import path from "node:path";
import { interleave, timeCommand } from "./lib/measure.mjs";
import { ratio, summarize } from "./lib/stats.mjs";

const bin = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../apps/cli/dist/bin.cjs");

// A clean environment for both sides: variables such as NODE_EXTRA_CA_CERTS (set on some machines, this one
// included) make every node start parse a certificate bundle, which would pad the baseline and flatter the ratio.
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

export async function run({ quick }) {
  const runs = quick ? 3 : 30;
  const node = process.execPath;
  // Warm the page cache once so the first measured run is not an outlier.
  timeCommand(node, [bin, "--version"], { env });
  const t = interleave(runs, {
    baseline: () => timeCommand(node, ["-e", "0"], { env }),
    version: () => timeCommand(node, [bin, "--version"], { env }),
    help: () => timeCommand(node, [bin, "--help"], { env }),
    runHelp: () => timeCommand(node, [bin, "run", "--help"], { env }),
  });
  const baseline = summarize(t.baseline);
  const version = summarize(t.version);
  const help = summarize(t.help);
  const runHelp = summarize(t.runHelp);
  return {
    rows: [
      {
        metric: "codetether --version",
        unit: "ms",
        subject: version,
        baseline,
        baselineName: "node -e 0",
        ratio: ratio(version, baseline),
        target: "≤ 1.10×",
      },
      {
        metric: "codetether --help",
        unit: "ms",
        subject: help,
        baseline,
        baselineName: "node -e 0",
        ratio: ratio(help, baseline),
        target: "≤ 1.3×",
      },
      {
        metric: "codetether run --help (commander)",
        unit: "ms",
        subject: runHelp,
        baseline,
        baselineName: "node -e 0",
        ratio: ratio(runHelp, baseline),
      },
    ],
  };
}
