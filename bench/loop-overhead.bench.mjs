// Agent-loop overhead per tool step: the core Agent with an instant provider and a no-op tool, against a bare
// hand-written loop doing the same provider/tool calls with none of the agent's bookkeeping.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { Agent, defineTool, SessionStore, ToolRegistry } from "../packages/core/dist/index.js";
import { ratio, summarize } from "./lib/stats.mjs";

const noop = defineTool({
  id: "noop",
  description: "does nothing",
  kind: "read",
  parameters: z.object({ n: z.number() }),
  async execute() {
    return { output: "ok" };
  },
});

/** Instant provider: a tool call per step until `steps`, then a final answer. */
function instantProvider(steps) {
  let i = 0;
  return {
    id: "instant",
    async listModels() {
      return [];
    },
    async *stream() {
      i++;
      if (i > steps) {
        i = 0;
        yield { type: "text-delta", text: "done" };
        yield { type: "finish", reason: "stop" };
        return;
      }
      const id = `c${i}`;
      yield { type: "tool-call-start", id, name: "noop" };
      yield { type: "tool-call-delta", id, argumentsDelta: `{"n":${i}}` };
      yield { type: "tool-call-end", id };
      yield { type: "finish", reason: "tool_calls" };
    },
  };
}

async function bareLoop(provider, steps) {
  const messages = [];
  for (let s = 0; s <= steps; s++) {
    const calls = [];
    for await (const c of provider.stream({ model: "m", messages }))
      if (c.type === "tool-call-delta") calls.push(c);
    if (!calls.length) break;
    for (const c of calls) messages.push(await noop.execute(JSON.parse(c.argumentsDelta), {}));
  }
}

export async function run({ quick }) {
  const steps = quick ? 20 : 200;
  const reps = quick ? 2 : 10;
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "ct-bench-loop-"));
  const tools = new ToolRegistry().register(noop);
  const perStep = { bare: [], agent: [], agentStore: [] };
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    await bareLoop(instantProvider(steps), steps);
    perStep.bare.push((performance.now() - t) / steps);

    t = performance.now();
    await new Agent({
      provider: instantProvider(steps),
      model: "m",
      tools,
      cwd,
      maxSteps: steps + 5,
    }).runToEnd("go");
    perStep.agent.push((performance.now() - t) / steps);

    const store = new SessionStore(path.join(cwd, "sessions"));
    t = performance.now();
    await new Agent({
      provider: instantProvider(steps),
      model: "m",
      tools,
      cwd,
      maxSteps: steps + 5,
      store,
    }).runToEnd("go");
    perStep.agentStore.push((performance.now() - t) / steps);
  }
  fs.rmSync(cwd, { recursive: true, force: true });
  const bare = summarize(perStep.bare);
  const agent = summarize(perStep.agent);
  const agentStore = summarize(perStep.agentStore);
  return {
    rows: [
      {
        metric: "agent step, no session store",
        unit: "ms",
        subject: agent,
        baseline: bare,
        baselineName: "bare loop",
        ratio: ratio(agent, bare),
        target: "≤ 2 ms",
      },
      {
        metric: "agent step, session saved (fsync)",
        unit: "ms",
        subject: agentStore,
        baseline: bare,
        baselineName: "bare loop",
        ratio: ratio(agentStore, bare),
        target: "≤ 2 ms",
      },
    ],
  };
}
