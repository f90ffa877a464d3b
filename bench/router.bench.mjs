// Tool-router latency and prompt size with the default tool set: ToolRouter.route() (tool selection, FunctionGemma
// prompt, GBNF-constrained decoding through node-llama-cpp, parsing and validation) vs the bare model.generate()
// calls it makes, on the generated tiny GGUF (threads 1). With CODETETHER_BENCH_ROUTER_MODEL=<FunctionGemma GGUF>
// the same is measured on the real model, plus a routing-accuracy harness over scripted assistant answers.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { distUrl } from "./lib/paths.mjs";
import { ratio, summarize } from "./lib/stats.mjs";

const FUNCTION_GEMMA_SPECIALS = [
  "<start_function_declaration>",
  "<end_function_declaration>",
  "<start_function_call>",
  "<end_function_call>",
  "<start_function_response>",
  "<end_function_response>",
  "<escape>",
];

/**
 * Assistant answers of a text-only model and the call each means: the tool and the arguments that must match
 * (other arguments are free). A routing is correct when its first call has that name and those values.
 */
const SCRIPTED = [
  ["I'll read src/index.ts to see what it exports.", "read", { path: "src/index.ts" }],
  ["Let me open package.json.", "read", { path: "package.json" }],
  ["I will search the code for TODO comments.", "grep", { pattern: "TODO" }],
  ["Let me grep for parseConfig to find its callers.", "grep", { pattern: "parseConfig" }],
  ["I'll find all TypeScript test files with the glob **/*.test.ts.", "glob", { pattern: "**/*.test.ts" }],
  ["Let me list the contents of the docs directory.", "list", { path: "docs" }],
  ["I'll run the tests with npm test.", "bash", { command: "npm test" }],
  ["Next I will run git status to see what changed.", "bash", { command: "git status" }],
  ["I'll create notes.txt containing hello.", "write", { path: "notes.txt", content: "hello" }],
  [
    "In src/app.ts I will replace the text foo() with bar().",
    "edit",
    { path: "src/app.ts", oldString: "foo()", newString: "bar()" },
  ],
  [
    "Let me fetch https://example.com/api.json to check the schema.",
    "webfetch",
    { url: "https://example.com/api.json" },
  ],
  ["I'll search the web for node-llama-cpp grammar docs.", "websearch", {}],
];

function matches(call, name, expected) {
  if (!call || call.name !== name) return false;
  const args = JSON.parse(call.arguments);
  return Object.entries(expected).every(([k, v]) => String(args[k] ?? "").trim() === v);
}

function timedLoader(lib, generateTimes) {
  return async (options) => {
    const model = await lib.loadLlamaCppModel(options);
    return {
      maxContextSize: model.maxContextSize,
      countTokens: (prompt) => model.countTokens(prompt),
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
}

/** Times `reps` routings of one answer over the default tool set; collects the prompt sizes in tokens. */
async function measure(router, tools, generateTimes, reps) {
  const total = [];
  const promptTokens = [];
  await router.routeWithDetails({ text: "warm up: read README.md", tools }); // loads the model
  generateTimes.length = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const result = await router.routeWithDetails({
      text: `I will read README.md and then grep for TODO in src/part-${i}.`,
      tools,
    });
    total.push(performance.now() - t);
    promptTokens.push(result.promptTokens);
  }
  return {
    route: summarize(total),
    generate: summarize(generateTimes),
    promptTokens: summarize(promptTokens),
  };
}

async function accuracy(router, tools) {
  let correct = 0;
  const misses = [];
  for (const [text, name, expected] of SCRIPTED) {
    const [call] = await router.route({ text, tools });
    if (matches(call, name, expected)) correct++;
    else misses.push(`${name}: got ${call ? `${call.name} ${call.arguments}` : "no call"}`);
  }
  return { correct, total: SCRIPTED.length, misses };
}

export async function run({ quick }) {
  const lib = await import(distUrl("packages/tool-router"));
  const { writeTinyGguf } = await import(distUrl("packages/testing"));
  const { createToolRegistry } = await import(distUrl("packages/tools"));
  const tools = createToolRegistry({}).definitions();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ct-bench-router-"));
  const reps = quick ? 2 : 10;
  const rows = [];
  const notes = [];
  try {
    const tiny = path.join(work, "tiny.gguf");
    // Shaped like FunctionGemma where it matters here: its control tokens and a 32k trained context.
    await writeTinyGguf(tiny, { seed: 9, ctx: 32768, extraSpecialTokens: FUNCTION_GEMMA_SPECIALS });
    const models = [{ name: "tiny GGUF (threads 1)", path: tiny, threads: 1, tiny: true }];
    const real = process.env.CODETETHER_BENCH_ROUTER_MODEL;
    if (real) models.push({ name: path.basename(real), path: real });
    for (const m of models) {
      const times = [];
      const router = new lib.ToolRouter({
        config: {
          enabled: true,
          model_path: m.path,
          device: "cpu",
          arch: process.env.CODETETHER_BENCH_ROUTER_ARCH ?? "gemma3",
          // Random weights never stop early: a smaller output budget keeps the tiny runs short.
          ...(m.tiny ? { max_tokens: 256, temperature: 0.8 } : { temperature: 0 }),
        },
        env: {},
        loader: timedLoader(lib, times),
        seed: 3,
        log: () => {},
        ...(m.threads ? { threads: m.threads } : {}),
      });
      try {
        const { route, generate, promptTokens } = await measure(router, tools, times, reps);
        rows.push({
          metric: `tool-router route, default tool set (${tools.length} tools), ${m.name}`,
          unit: "ms",
          subject: route,
          baseline: generate,
          baselineName: "model.generate",
          ratio: ratio(route, generate),
        });
        // The prompt the router sends vs declaring every tool (what made routing overflow a 4k context).
        const all = await router.host.use(AbortSignal.timeout(60_000), async (model) =>
          model.countTokens(
            lib.functionGemmaPromptSegments({
              tools,
              messages: [
                { role: "user", text: "I will read README.md and then grep for TODO in src/part-0." },
              ],
            }),
          ),
        );
        rows.push({
          metric: `router prompt, default tool set, ${m.name}`,
          unit: " tok",
          subject: promptTokens,
          baseline: summarize([all]),
          baselineName: `all ${tools.length} tools declared`,
          ratio: ratio(promptTokens, summarize([all])),
        });
        if (!m.tiny) {
          const result = await accuracy(router, tools);
          notes.push(`router accuracy (${m.name}): ${result.correct}/${result.total} calls correct`);
          for (const miss of result.misses) notes.push(`router accuracy miss: ${miss}`);
          rows.push({
            metric: `router accuracy, ${result.total} scripted answers, ${m.name}`,
            unit: "%",
            subject: summarize([(100 * result.correct) / result.total]),
          });
        }
      } finally {
        await router.dispose();
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (!process.env.CODETETHER_BENCH_ROUTER_MODEL)
    notes.push(
      "router: accuracy harness skipped: no real model; set CODETETHER_BENCH_ROUTER_MODEL=<path to a FunctionGemma GGUF>",
    );
  return { rows, notes };
}
