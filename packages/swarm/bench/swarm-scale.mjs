#!/usr/bin/env node
// Memory and spawn cost of concurrent sub-agents against an in-process scripted model.
// Usage: npx tsup && node bench/swarm-scale.mjs [counts...]   (default 1 10 100)
// Each count runs in a fresh child process so peak RSS (VmHWM of /proc/self/status) belongs to that run alone.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineTool, ToolRegistry } from "@codetether/core";
import { z } from "zod";
import { runSwarm } from "../dist/index.js";

const MODEL_DELAY_MS = 50;

function chunksText(text) {
  return [
    { type: "text-delta", text },
    {
      type: "usage",
      usage: { promptTokens: 100, completionTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 },
    },
    { type: "finish", reason: "stop" },
  ];
}

/** Decomposes into `count` independent subtasks; each sub-agent makes one tool call, then answers. */
function scriptedProvider(count) {
  return {
    id: "scripted",
    async listModels() {
      return [];
    },
    async *stream(request, signal) {
      await new Promise((r) => setTimeout(r, MODEL_DELAY_MS));
      if (signal?.aborted) throw new Error("aborted");
      const first = request.messages.find((m) => m.role === "user")?.content[0]?.text ?? "";
      if (first.includes("orchestrator of a swarm")) {
        const subtasks = Array.from({ length: count }, (_, i) => ({
          name: `part ${i}`,
          instruction: `analyse part ${i}`,
        }));
        yield* chunksText(JSON.stringify({ subtasks }));
        return;
      }
      if (first.includes("Sub-agents worked on parts")) {
        yield* chunksText("combined");
        return;
      }
      const last = request.messages.at(-1);
      if (last.role === "user") {
        const id = `call_${Math.random().toString(36).slice(2)}`;
        yield { type: "tool-call-start", id, name: "lookup" };
        yield { type: "tool-call-delta", id, argumentsDelta: JSON.stringify({ key: first.slice(-8) }) };
        yield { type: "tool-call-end", id };
        yield { type: "finish", reason: "tool_calls" };
        return;
      }
      yield* chunksText(`done ${first.slice(-8)}`);
    },
  };
}

const lookup = defineTool({
  id: "lookup",
  description: "Look up a key",
  kind: "read",
  parameters: z.object({ key: z.string() }),
  async execute({ key }) {
    return { output: `value of ${key}` };
  },
});

/**
 * This process's own peak RSS in bytes. Not getrusage's maxrss: Linux carries that over from the parent through
 * fork and exec, so every child of a large bench runner would report the runner's size.
 */
function ownPeakRssBytes() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

async function measure(count) {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  let decomposedAt = 0;
  let lastStartAt = 0;
  let maxRunning = 0;
  let running = 0;
  const started = performance.now();
  const result = await runSwarm(
    {
      task: "scale test",
      provider: scriptedProvider(count),
      model: "m",
      tools: new ToolRegistry().register(lookup),
      cwd: process.cwd(),
      maxSubagents: count,
      maxSteps: 5,
    },
    (event) => {
      if (event.type === "decomposed") decomposedAt = performance.now();
      if (event.type === "subtask-start") {
        lastStartAt = performance.now();
        maxRunning = Math.max(maxRunning, ++running);
      }
      if (event.type === "subtask-end") running--;
    },
  );
  clearInterval(sampler);
  if (!result.success) throw new Error(`swarm failed: ${result.error}`);
  return {
    count,
    wallMs: Math.round(performance.now() - started),
    spawnMsPerAgent: (lastStartAt - decomposedAt) / count,
    maxRunning,
    peakRssMb: Math.max(peak, ownPeakRssBytes()) / 2 ** 20,
    deltaRssMb: (peak - baseline) / 2 ** 20,
    speedup: result.stats.speedup,
  };
}

if (process.argv[2] === "--child") {
  console.log(JSON.stringify(await measure(Number(process.argv[3]))));
} else {
  const counts = process.argv.slice(2).map(Number);
  const rows = [];
  for (const count of counts.length ? counts : [1, 10, 100]) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", String(count)], {
      encoding: "utf8",
    });
    rows.push(JSON.parse(out.trim().split("\n").at(-1)));
  }
  console.log("sub-agents | concurrent | wall ms | spawn ms/agent | peak RSS MB | RSS growth MB | speed-up");
  console.log("-----------|------------|---------|----------------|-------------|---------------|---------");
  for (const r of rows)
    console.log(
      [
        String(r.count).padStart(10),
        String(r.maxRunning).padStart(10),
        String(r.wallMs).padStart(7),
        r.spawnMsPerAgent.toFixed(3).padStart(14),
        r.peakRssMb.toFixed(1).padStart(11),
        r.deltaRssMb.toFixed(1).padStart(13),
        `${r.speedup}x`.padStart(8),
      ].join(" | "),
    );
}
