// `codetether run` time to first streamed token against the scripted OpenAI server, vs a bare Node script that
// streams the same answer with the `openai` SDK directly. Both are new processes, timed from spawn to first token.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startScriptedOpenAI } from "../packages/testing/dist/index.js";
import { ratio, summarize } from "./lib/stats.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const bin = path.resolve(here, "../apps/cli/dist/bin.cjs");
const providersDir = path.resolve(here, "../packages/providers");

function timeToFirst(cmd, args, { env, cwd, match }) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let firstAt;
    child.stdout.on("data", (d) => {
      out += d;
      if (firstAt === undefined && match(out)) firstAt = performance.now() - start;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    // Settles once the process is gone, so the next one never overlaps it and the cleanup below never races a
    // `codetether run` still saving its session (or retrying against the closed server).
    child.on("close", (code) => {
      if (firstAt !== undefined) resolve(firstAt);
      else reject(new Error(`exited ${code} before the first token: ${err.slice(0, 400)}`));
    });
  });
}

const SDK_SCRIPT = `
const mod = await import(process.env.OPENAI_MODULE); const OpenAI = mod.OpenAI ?? mod.default;
const client = new OpenAI({ apiKey: "sk-bench", baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0 });
const stream = await client.chat.completions.create({ model: "gpt-4o", stream: true, messages: [{ role: "user", content: "hi" }] });
for await (const chunk of stream) { const t = chunk.choices[0]?.delta?.content; if (t) process.stdout.write(t); }
`;

export async function run({ quick }) {
  const reps = quick ? 2 : 15;
  const turns = Array.from({ length: reps * 3 + 2 }, () => ({ text: "first token then more words" }));
  const server = await startScriptedOpenAI(turns);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ct-bench-ftt-"));
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    XDG_DATA_HOME: path.join(work, "data"),
    XDG_CONFIG_HOME: path.join(work, "config"),
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: server.url,
    OPENAI_MODULE: pathToFileURL(createRequire(path.join(providersDir, "package.json")).resolve("openai"))
      .href,
    NO_COLOR: "1",
  };
  const ctTimes = [];
  const uncachedTimes = [];
  const sdkTimes = [];
  try {
    for (let i = 0; i < reps; i++) {
      sdkTimes.push(
        await timeToFirst(process.execPath, ["--input-type=module", "-e", SDK_SCRIPT], {
          env,
          cwd: work,
          match: (o) => o.length > 0,
        }),
      );
      // The CLI caches its compiled code under HOME (apps/cli/src/compile-cache): every run but the first
      // finds it, as on a user's machine. The uncached row is a first run after an install (or an upgrade).
      ctTimes.push(
        await timeToFirst(process.execPath, [bin, "run", "--json", "-m", "openai/gpt-4o", "hi"], {
          env,
          cwd: work,
          match: (o) => o.includes('"type":"text-delta"'),
        }),
      );
      uncachedTimes.push(
        await timeToFirst(process.execPath, [bin, "run", "--json", "-m", "openai/gpt-4o", "hi"], {
          env: { ...env, NODE_DISABLE_COMPILE_CACHE: "1" },
          cwd: work,
          match: (o) => o.includes('"type":"text-delta"'),
        }),
      );
    }
  } finally {
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const ct = summarize(ctTimes);
  const uncached = summarize(uncachedTimes);
  const sdk = summarize(sdkTimes);
  return {
    rows: [
      {
        metric: "codetether run → first token",
        unit: "ms",
        subject: ct,
        baseline: sdk,
        baselineName: "openai SDK script",
        ratio: ratio(ct, sdk),
        target: "≤ 1.3×",
      },
      {
        metric: "codetether run → first token, first run (no compile cache yet)",
        unit: "ms",
        subject: uncached,
        baseline: sdk,
        baselineName: "openai SDK script",
        ratio: ratio(uncached, sdk),
      },
    ],
  };
}
