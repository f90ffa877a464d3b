// RLM over a generated log (100 MB; quick: 4 MB): a scripted model counts ERROR lines with rlm_count and answers.
// Time vs `grep -c ERROR` on the same file; peak RSS vs an idle Node process. The answer must equal grep's count.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { interleave, timeCommand } from "./lib/measure.mjs";
import { PRINT_SELF_PEAK_RSS_MB, root } from "./lib/paths.mjs";
import { ratio, summarize } from "./lib/stats.mjs";

const child = path.join(root, "bench/lib/rlm-child.mjs");
const LEVELS = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"];

/** Writes a deterministic log of about `bytes` bytes. */
function writeLog(file, bytes) {
  const fd = fs.openSync(file, "w");
  let written = 0;
  let i = 0;
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  while (written < bytes) {
    const lines = [];
    for (let j = 0; j < 2000; j++, i++) {
      const level = LEVELS[rand() % LEVELS.length];
      const ts = new Date(Date.UTC(2026, 0, 1) + i * 37).toISOString();
      lines.push(
        `${ts} ${level} [worker-${rand() % 16}] request ${rand().toString(16)} took ${rand() % 5000} ms path=/api/v1/items/${rand() % 100000}`,
      );
    }
    const chunk = `${lines.join("\n")}\n`;
    fs.writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  fs.closeSync(fd);
  return written;
}

export async function run({ quick }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ct-bench-rlm-"));
  const file = path.join(work, "app.log");
  const bytes = writeLog(file, quick ? 4 * 2 ** 20 : 100 * 2 ** 20);
  const reps = quick ? 1 : 3;
  try {
    const expected = execFileSync("grep", ["-c", "ERROR", file], { encoding: "utf8" }).trim();
    const runs = [];
    const t = interleave(reps, {
      grep: () => timeCommand("grep", ["-c", "ERROR", file]),
      rlm: () => {
        const start = performance.now();
        const out = execFileSync(process.execPath, [child, file, "ERROR"], { encoding: "utf8" });
        const ms = performance.now() - start;
        const r = JSON.parse(out.trim().split("\n").at(-1));
        if (r.answer !== expected) throw new Error(`RLM answered ${r.answer}, grep -c counted ${expected}`);
        runs.push(r);
        return ms;
      },
    });
    const idle = summarize(
      Array.from({ length: reps }, () =>
        Number(
          execFileSync(process.execPath, ["-e", PRINT_SELF_PEAK_RSS_MB], {
            encoding: "utf8",
          }),
        ),
      ),
    );
    const rlm = summarize(t.rlm);
    const grep = summarize(t.grep);
    const rss = summarize(runs.map((r) => r.peakRssMb));
    const mb = Math.round(bytes / 2 ** 20);
    return {
      rows: [
        {
          metric: `RLM count over ${mb} MB log (process)`,
          unit: "ms",
          subject: rlm,
          baseline: grep,
          baselineName: "grep -c",
          ratio: ratio(rlm, grep),
        },
        {
          metric: `RLM over ${mb} MB log: peak RSS`,
          unit: "MB",
          subject: rss,
          baseline: idle,
          baselineName: "idle node",
          ratio: ratio(rss, idle),
        },
      ],
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
