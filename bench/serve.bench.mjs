// Idle `codetether serve` RSS 5 s after it is listening, vs a bare Node HTTP server (same wait, same reads).
// Uses `codetether serve` when the CLI has the command, else a script calling @codetether/server's startServer
// with an instant executor (what `serve --a2a-conformance` runs).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { rssMb, startChild } from "./lib/measure.mjs";
import { cliBin, distUrl } from "./lib/paths.mjs";
import { ratio, summarize } from "./lib/stats.mjs";

const BARE = `require("node:http").createServer((q, s) => s.end("ok")).listen(0, "127.0.0.1", function () {
  console.log("listening on http://127.0.0.1:" + this.address().port); });`;

function serveScript() {
  return `const { startServer } = await import(${JSON.stringify(distUrl("apps/server"))});
const { ConformanceExecutor } = await import(${JSON.stringify(distUrl("packages/a2a"))});
const s = await startServer({ port: 0, dataDir: process.env.BENCH_DATA, cwd: process.env.BENCH_DATA,
  token: "bench-token-0123456789abcdef", executor: new ConformanceExecutor() });
console.log("codetether serve listening on " + s.url);`;
}

function cliHasServe() {
  const res = spawnSync(process.execPath, [cliBin, "serve", "--help"], { encoding: "utf8" });
  return res.status === 0 && /Usage: codetether serve/.test(res.stdout);
}

async function idleRss(cmd, args, env, waitMs) {
  const { child } = await startChild(cmd, args, { env, ready: (line) => /listening on http/.test(line) });
  try {
    await new Promise((r) => setTimeout(r, waitMs));
    const rss = rssMb(child.pid);
    if (rss === undefined) throw new Error(`could not read the RSS of pid ${child.pid}`);
    return rss;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
  }
}

export async function run({ quick }) {
  const reps = quick ? 1 : 5;
  const waitMs = quick ? 1000 : 5000;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ct-bench-serve-"));
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    XDG_DATA_HOME: path.join(work, "data"),
    XDG_CONFIG_HOME: path.join(work, "config"),
    BENCH_DATA: work,
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    CODETETHER_AUTH_TOKEN: "bench-token-0123456789abcdef",
    NO_COLOR: "1",
  };
  const viaCli = cliHasServe();
  const subjectArgs = viaCli
    ? [cliBin, "serve", "--port", "0", "-m", "openai/gpt-4o"]
    : ["--input-type=module", "-e", serveScript()];
  const subject = [];
  const baseline = [];
  const coreOnly = [];
  // What serve cannot go below while it validates its config with core's zod schemas: an idle HTTP server that
  // has only imported @codetether/core (as a library user would), measured the same way.
  const coreArgs = [
    "--input-type=module",
    "-e",
    `import { createRequire } from "node:module"; const require = createRequire(import.meta.url);
await import(${JSON.stringify(distUrl("packages/core"))});
${BARE}`,
  ];
  try {
    for (let i = 0; i < reps; i++) {
      baseline.push(await idleRss(process.execPath, ["-e", BARE], env, waitMs));
      subject.push(await idleRss(process.execPath, subjectArgs, { ...env }, waitMs));
      coreOnly.push(await idleRss(process.execPath, coreArgs, env, waitMs));
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const s = summarize(subject);
  const b = summarize(baseline);
  return {
    rows: [
      {
        metric: `idle serve RSS after ${waitMs / 1000} s${viaCli ? "" : " (startServer script)"}`,
        unit: "MB",
        subject: s,
        baseline: b,
        baselineName: "bare node:http",
        ratio: ratio(s, b),
        target: "≤ 1.3×",
      },
      {
        metric: `idle node:http + import @codetether/core, RSS after ${waitMs / 1000} s`,
        unit: "MB",
        subject: summarize(coreOnly),
        baseline: b,
        baselineName: "bare node:http",
        ratio: ratio(summarize(coreOnly), b),
      },
    ],
  };
}
