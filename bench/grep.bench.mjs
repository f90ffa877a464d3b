// `grep` tool vs raw `rg` on a generated tree (50k files; 2k in quick mode), same pattern and limits.
// Ratio = rg time / tool time, so ≥ 0.9× means the tool keeps at least 90% of ripgrep's speed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createGrepTool } from "../packages/tools/dist/index.js";
import { summarize } from "./lib/stats.mjs";

function makeTree(root, files) {
  const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"];
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, `d${i % 100}`, `e${Math.floor(i / 100) % 50}`);
    if (i < 5000) fs.mkdirSync(dir, { recursive: true });
    const lines = [];
    for (let l = 0; l < 20; l++)
      lines.push(
        `${words[(i + l) % 8]} line ${l} of file ${i}${i % 997 === 0 && l === 7 ? " NEEDLE_42" : ""}`,
      );
    fs.writeFileSync(path.join(dir, `f${i}.txt`), `${lines.join("\n")}\n`);
  }
}

export async function run({ quick }) {
  const rg = spawnSync("rg", ["--version"]).status === 0;
  if (!rg) throw new Error("ripgrep (rg) is not installed: apt-get install ripgrep");
  const files = quick ? 2000 : 50_000;
  const reps = quick ? 2 : 7;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ct-bench-grep-"));
  makeTree(root, files);
  const tool = createGrepTool();
  const ctx = {
    cwd: root,
    workspaceRoot: root,
    signal: new AbortController().signal,
    sessionId: "b",
    callId: "b",
    emit() {},
  };
  const rgTimes = [];
  const toolTimes = [];
  let toolMatches = 0;
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    const r = spawnSync("rg", ["--line-number", "--no-heading", "--fixed-strings", "NEEDLE_42", root], {
      encoding: "utf8",
    });
    rgTimes.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`rg failed: ${r.stderr}`);
    t = performance.now();
    const res = await tool.execute({ pattern: "NEEDLE_42", limit: 5000 }, ctx);
    toolTimes.push(performance.now() - t);
    if (res.isError) throw new Error(`grep tool failed: ${res.output}`);
    toolMatches = res.output.split("\n").filter((l) => l.includes("NEEDLE_42")).length;
  }
  fs.rmSync(root, { recursive: true, force: true });
  const rgS = summarize(rgTimes);
  const toolS = summarize(toolTimes);
  return {
    rows: [
      {
        metric: `grep tool, ${files} files (${toolMatches} matches)`,
        unit: "ms",
        subject: toolS,
        baseline: rgS,
        baselineName: "rg",
        ratio: Math.round((rgS.median / toolS.median) * 100) / 100,
        target: "≥ 0.9× of rg speed",
      },
    ],
  };
}
