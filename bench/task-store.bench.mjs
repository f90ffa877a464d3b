// `codetether serve` with many stored A2A tasks: RSS once ListTasks has loaded the task index, and the time from
// starting the process to its first GetTask / ListTasks answer, with 100k stored tasks vs 1k (same machine, same
// run). The task files are written directly (as the store writes them), so generating 100k takes seconds, not 100k
// requests; a first, untimed start builds the store's binary index from them (and stops gracefully, as a server
// normally leaves it); the timed part is only the restarts after that.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { rssMb, startChild } from "./lib/measure.mjs";
import { cliBin } from "./lib/paths.mjs";
import { ratio, summarize } from "./lib/stats.mjs";

const TOKEN = "bench-token-0123456789abcdef";
const OWNER = "bearer-token-user"; // the principal of every bearer-authenticated request (request-principal.ts)
const headers = { authorization: `Bearer ${TOKEN}`, "A2A-Version": "1.0" };

/** Writes `count` finished task files into `<dataHome>/codetether/a2a/tasks`. */
function generateTasks(dataHome, count) {
  const dir = path.join(dataHome, "codetether", "a2a", "tasks");
  fs.mkdirSync(dir, { recursive: true });
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const id = taskId(i);
    const contextId = `bench-ctx-${i % 1000}`;
    const time = now - (count - i) * 1000;
    const task = {
      id,
      contextId,
      status: { state: "TASK_STATE_COMPLETED", timestamp: new Date(time).toISOString() },
      artifacts: [
        {
          artifactId: `a-${i}`,
          name: "response",
          parts: [{ text: `answer ${i}: ${"lorem ipsum ".repeat(20)}` }],
        },
      ],
      history: [
        { messageId: `m-${i}`, role: "ROLE_USER", parts: [{ text: `question ${i}` }], contextId, taskId: id },
      ],
    };
    fs.writeFileSync(
      path.join(dir, `${id}.json`),
      `${JSON.stringify({ version: 1, tenant: "", owner: OWNER, task })}\n`,
    );
  }
  return taskId(count - 1);
}

/** Task ids are UUIDs, as the A2A SDK generates them. */
function taskId(i) {
  return `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
}

async function firstOk(url) {
  for (let i = 0; i < 2000; i++) {
    try {
      const res = await fetch(url, { headers });
      if (res.ok) {
        await res.arrayBuffer();
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no answer from ${url}`);
}

/** Starts serve on `home`, times start → first GetTask and → first ListTasks, then reads its RSS. */
async function restart(home, lastId, settleMs) {
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_CONFIG_HOME: path.join(home, "config"),
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    CODETETHER_AUTH_TOKEN: TOKEN,
    CODETETHER_COGNITION_ENABLED: "false",
    NO_COLOR: "1",
  };
  const started = performance.now();
  const { child, match } = await startChild(
    process.execPath,
    [cliBin, "serve", "--port", "0", "-m", "openai/gpt-4o"],
    {
      env,
      cwd: home,
      ready: (line) => /listening on (http:\/\/\S+)/.exec(line),
    },
  );
  try {
    const url = match[1];
    await firstOk(`${url}/a2a/rest/tasks/${lastId}`);
    const getMs = performance.now() - started;
    await firstOk(`${url}/a2a/rest/tasks?pageSize=50`);
    const listMs = performance.now() - started;
    await firstOk(`${url}/a2a/rest/tasks?pageSize=50&contextId=bench-ctx-7`);
    await new Promise((r) => setTimeout(r, settleMs));
    const rss = rssMb(child.pid);
    return { getMs, listMs, rss };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
  }
}

export async function run({ quick }) {
  const reps = quick ? 1 : 5;
  const large = Number(process.env.CODETETHER_BENCH_TASKS) || (quick ? 5_000 : 100_000);
  const small = 1_000;
  const settleMs = quick ? 500 : 2000;
  const homes = [small, large].map((n) => fs.mkdtempSync(path.join(os.tmpdir(), `ct-bench-tasks-${n}-`)));
  try {
    const generateStarted = performance.now();
    const lastSmall = generateTasks(path.join(homes[0], "data"), small);
    const lastLarge = generateTasks(path.join(homes[1], "data"), large);
    const generateS = (performance.now() - generateStarted) / 1000;
    const indexStarted = performance.now();
    await restart(homes[0], lastSmall, 0);
    await restart(homes[1], lastLarge, 0);
    const indexS = (performance.now() - indexStarted) / 1000;
    const at = { small: [], large: [] };
    for (let i = 0; i < reps; i++) {
      at.small.push(await restart(homes[0], lastSmall, settleMs));
      at.large.push(await restart(homes[1], lastLarge, settleMs));
    }
    const pick = (list, key) => summarize(list.map((r) => r[key]));
    const rssLarge = pick(at.large, "rss");
    const rssSmall = pick(at.small, "rss");
    const k = (n) => `${n / 1000}k`;
    return {
      rows: [
        {
          metric: `serve RSS after ListTasks, ${k(large)} stored tasks`,
          unit: "MB",
          subject: rssLarge,
          baseline: rssSmall,
          baselineName: `${k(small)} stored tasks`,
          ratio: ratio(rssLarge, rssSmall),
          target: "≤ +10 MB",
        },
        {
          metric: `serve start → first GetTask, ${k(large)} stored tasks`,
          unit: "ms",
          subject: pick(at.large, "getMs"),
          baseline: pick(at.small, "getMs"),
          baselineName: `${k(small)} stored tasks`,
          target: "< 500 ms",
        },
        {
          metric: `serve start → first ListTasks (index loaded), ${k(large)} stored tasks`,
          unit: "ms",
          subject: pick(at.large, "listMs"),
          baseline: pick(at.small, "listMs"),
          baselineName: `${k(small)} stored tasks`,
          target: "< 500 ms",
        },
      ],
      notes: [
        `task-store: RSS with ${k(large)} tasks minus RSS with ${k(small)}: ${(rssLarge.median - rssSmall.median).toFixed(1)} MB (target ≤ 10 MB)`,
        `task-store: generating ${k(large)} + ${k(small)} task files took ${generateS.toFixed(1)} s, building their index on a first start ${indexS.toFixed(1)} s (not timed)`,
      ],
    };
  } finally {
    for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  }
}
