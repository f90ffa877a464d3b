// Tool-router latency: ToolRouter.route() (prompt building, grammar-constrained decoding through node-llama-cpp,
// parsing and validation) vs the bare model.generate() calls it makes, measured in the same routings. Runs with
// the generated tiny GGUF (threads 1), and with a real model when CODETETHER_BENCH_ROUTER_MODEL is a path.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { distUrl } from "./lib/paths.mjs";
import { ratio, summarize } from "./lib/stats.mjs";

const writeTool = {
  name: "write",
  description: "Write a file",
  parameters: {
    type: "object",
    properties: { path: { type: "string", minLength: 1 }, content: { type: "string" } },
    required: ["path", "content"],
    additionalProperties: false,
  },
};
const grepTool = {
  name: "grep",
  description: "Search files",
  parameters: {
    type: "object",
    properties: { pattern: { type: "string", minLength: 1, maxLength: 20 }, limit: { type: "integer" } },
    required: ["pattern"],
  },
};

/**
 * Times `reps` routings. A routing whose output fails to parse (a random-weight model can run out of tokens
 * inside a string) is still a full routing and is timed; the failures are counted and reported.
 */
async function measure(router, generateTimes, reps) {
  const total = [];
  const tools = [writeTool, grepTool];
  let failed = 0;
  const route = async (text) => {
    try {
      await router.route({ text, tools });
    } catch (err) {
      if (!/router output/.test(err.message)) throw err;
      failed++;
    }
  };
  await route("warm up: write notes.txt"); // loads the model
  generateTimes.length = 0;
  failed = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await route(`I will write a short greeting to notes-${i}.txt.`);
    total.push(performance.now() - t);
  }
  return { route: summarize(total), generate: summarize(generateTimes), failed };
}

async function routerFor(lib, modelPath, arch, threads, generateTimes) {
  const loader = async (options) => {
    const model = await lib.loadLlamaCppModel(options);
    return {
      async generate(...args) {
        const t = performance.now();
        try {
          return await model.generate(...args);
        } finally {
          generateTimes.push(performance.now() - t);
        }
      },
      dispose: () => model.dispose(),
    };
  };
  return new lib.ToolRouter({
    settings: { enabled: true, modelPath, arch, device: "cpu", maxTokens: 512, temperature: 0.8 },
    loader,
    seed: 3,
    bounds: { minCalls: 1, maxStringLength: 24 },
    log: () => {},
    ...(threads ? { threads } : {}),
  });
}

export async function run({ quick }) {
  const lib = await import(distUrl("packages/tool-router"));
  const { writeTinyGguf } = await import(distUrl("packages/testing"));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ct-bench-router-"));
  const reps = quick ? 2 : 10;
  const rows = [];
  const notes = [];
  const models = [];
  try {
    const tiny = path.join(work, "tiny.gguf");
    await writeTinyGguf(tiny, { seed: 42, ctx: 2048, extraWords: ["write", "content", "pattern", "notes"] });
    models.push({ name: "tiny GGUF (threads 1)", path: tiny, arch: "gemma3", threads: 1 });
    const real = process.env.CODETETHER_BENCH_ROUTER_MODEL;
    if (real)
      models.push({
        name: path.basename(real),
        path: real,
        arch: process.env.CODETETHER_BENCH_ROUTER_ARCH ?? "gemma3",
      });
    for (const m of models) {
      const times = [];
      const router = await routerFor(lib, m.path, m.arch, m.threads, times);
      try {
        const { route, generate, failed } = await measure(router, times, reps);
        if (failed)
          notes.push(
            `router: ${failed} of ${reps} ${m.name} routings produced unparsable output (timed anyway)`,
          );
        rows.push({
          metric: `tool-router route, ${m.name}`,
          unit: "ms",
          subject: route,
          baseline: generate,
          baselineName: "model.generate",
          ratio: ratio(route, generate),
        });
      } finally {
        await router.dispose();
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (!process.env.CODETETHER_BENCH_ROUTER_MODEL)
    notes.push(
      "router: no real model measured; set CODETETHER_BENCH_ROUTER_MODEL=<path to a FunctionGemma GGUF>",
    );
  return { rows, notes };
}
