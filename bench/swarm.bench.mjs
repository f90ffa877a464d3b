// Swarm with 1, 10 and 100 concurrent sub-agents against a scripted in-process model (one tool call each):
// peak RSS of the whole process vs an idle Node process, and spawn time per sub-agent. Each count runs in its
// own process (packages/swarm/bench/swarm-scale.mjs --child N) so its peak RSS is its own.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PRINT_SELF_PEAK_RSS_MB, root } from "./lib/paths.mjs";
import { ratio, summarize } from "./lib/stats.mjs";

const script = path.join(root, "packages/swarm/bench/swarm-scale.mjs");
const IDLE = `setTimeout(() => { ${PRINT_SELF_PEAK_RSS_MB.replace("console.log(", "console.log(JSON.stringify({ peakRssMb: ").replace(/\);$/, " }));")} }, 50)`;

function child(args) {
  const out = execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out.trim().split("\n").at(-1));
}

export async function run({ quick }) {
  if (!fs.existsSync(path.join(root, "packages/swarm/dist/index.js")))
    throw new Error("packages/swarm is not built: run `pnpm build` first.");
  const reps = quick ? 1 : 3;
  const counts = quick ? [1, 10] : [1, 10, 100];
  const baseline = summarize(Array.from({ length: reps }, () => child(["-e", IDLE]).peakRssMb));
  const rows = [];
  for (const count of counts) {
    const runs = Array.from({ length: reps }, () => child([script, "--child", String(count)]));
    for (const r of runs)
      if (r.maxRunning !== count)
        throw new Error(`swarm ${count}: only ${r.maxRunning} sub-agents ran at once`);
    const rss = summarize(runs.map((r) => r.peakRssMb));
    rows.push({
      metric: `swarm ${count} sub-agents: peak RSS`,
      unit: "MB",
      subject: rss,
      baseline,
      baselineName: "idle node",
      ratio: ratio(rss, baseline),
      target: count === 100 ? "≤ 150 MB" : "",
    });
    rows.push({
      metric: `swarm ${count} sub-agents: spawn per sub-agent`,
      unit: "ms",
      subject: summarize(runs.map((r) => r.spawnMsPerAgent)),
    });
  }
  return { rows };
}
