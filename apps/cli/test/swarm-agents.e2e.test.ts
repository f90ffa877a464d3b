import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { type ChatBody, type ScriptedTurns, toolNames, useScriptedOpenAI } from "./scripted-openai.js";

// A custom agent (`.codetether/agents/<name>.md`) used by the orchestration tools: every sub-agent of a swarm (and
// the task tool's sub-agent) runs with the agent's system prompt, tool allow-list, permissions and model.

const model = useScriptedOpenAI();

const bodies = () => model.chatBodies();
const systemText = (b: ChatBody | undefined) =>
  JSON.stringify(b?.messages.find((m) => m.role === "system") ?? {});

const AUDITOR =
  "---\ndescription: Audits, never edits\nmodel: openai/gpt-4o-mini\ntools: [read, write]\npermissions:\n  write: deny\n---\nYou are AUDITOR-7. Report problems, change nothing.\n";

async function setup(turns: ScriptedTurns, trusted = true) {
  const box = await model.boxFor(turns);
  await fs.mkdir(path.join(box.work, ".codetether", "agents"), { recursive: true });
  await fs.writeFile(path.join(box.work, ".codetether", "agents", "auditor.md"), AUDITOR);
  const env = { ...box.env, CODETETHER_DEFAULT_MODEL: "openai/gpt-4o" };
  // Trusted: the project's agent may pick its model (untrusted, only its prompt, tools and permissions apply).
  if (trusted) expect((await runCli(["trust", box.work], { cwd: box.work, env })).code).toBe(0);
  return { ...box, env };
}

/** `codetether swarm --agent auditor` (no decomposition) in `box`; `extra` goes before the task. */
const swarmAsAuditor = (box: { work: string; env: Record<string, string> }, extra: string[] = []) =>
  runCli(["swarm", "--agent", "auditor", ...extra, "--strategy", "none", "--json", "audit src"], {
    cwd: box.work,
    env: box.env,
  });

/**
 * A swarm sub-agent ran as the auditor (`first` and `second` are its two requests): its prompt and tool allow-list,
 * and its `write: deny` refused the write it tried in `work`.
 */
async function expectRanAsAuditor(first: ChatBody | undefined, second: ChatBody | undefined, work: string) {
  expect(systemText(first)).toContain("You are AUDITOR-7");
  expect(toolNames(first)).toEqual(["read", "swarm_share", "write"]);
  expect(JSON.stringify(second?.messages.at(-1))).toContain("agent may not use write here");
  await expect(fs.access(path.join(work, "fixed.txt"))).rejects.toThrow();
}

describe("custom agents in swarm and task (built binary, scripted model)", () => {
  it("swarm agent=<name>: every sub-agent has the agent's prompt, model, tool allow-list and permissions", async () => {
    const { work, env } = await setup([
      {
        toolCalls: [{ name: "swarm", arguments: { task: "audit src", strategy: "none", agent: "auditor" } }],
      },
      { toolCalls: [{ name: "write", arguments: { path: "fixed.txt", content: "edited" } }] },
      { text: "audit: two problems found" },
      { text: "the swarm reported two problems" },
    ]);
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "audit the code"], { cwd: work, env });
    expect(res.code).toBe(0);
    const [parent, sub1, sub2, last] = bodies();
    expect(parent?.model).toBe("gpt-4o");
    expect(toolNames(parent)).toContain("bash");
    // The sub-agent: the agent's model and prompt, only its tools (plus the swarm's own share tool).
    expect(sub1?.model).toBe("gpt-4o-mini");
    expect(systemText(sub1)).toContain("You are AUDITOR-7");
    expect(systemText(sub1)).toContain("sub-agent in a codetether swarm");
    expect(toolNames(sub1)).toEqual(["read", "swarm_share", "write"]);
    // Its permissions: the write it tried was refused, and nothing was written.
    expect(JSON.stringify(sub2?.messages.at(-1))).toContain("agent may not use write here");
    await expect(fs.access(path.join(work, "fixed.txt"))).rejects.toThrow();
    expect(last?.model).toBe("gpt-4o");
    const swarmEnd = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((e) => e.type === "tool-end" && e.tool === "swarm");
    expect(swarmEnd.result.output).toContain("audit: two problems found");
    expect(swarmEnd.result.metadata.agent).toBe("auditor");
  });

  it("swarm with an unknown agent is refused with the agents that exist", async () => {
    const { work, env } = await setup([
      { toolCalls: [{ name: "swarm", arguments: { task: "x", strategy: "none", agent: "nobody" } }] },
      { text: "ok" },
    ]);
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "go"], { cwd: work, env });
    expect(res.code).toBe(0);
    const end = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((e) => e.type === "tool-end" && e.tool === "swarm");
    expect(end.result.isError).toBe(true);
    expect(end.result.output).toContain('No custom agent "nobody". Defined: auditor.');
    expect(bodies()).toHaveLength(2);
  });

  it("codetether swarm --agent: every sub-agent runs as the agent; its model counts only in a trusted folder", async () => {
    const turns = [
      { toolCalls: [{ name: "write", arguments: { path: "fixed.txt", content: "edited" } }] },
      { text: "audit: one problem found" },
    ];
    const { work, env } = await setup(turns);
    const res = await swarmAsAuditor({ work, env });
    expect(res.code).toBe(0);
    const [sub1, sub2] = bodies();
    expect(sub1?.model).toBe("gpt-4o-mini");
    await expectRanAsAuditor(sub1, sub2, work);
    expect(res.stdout).toContain("audit: one problem found");

    // An explicit --model wins over the agent's model line.
    const withModel = await swarmAsAuditor(await setup(turns), ["-m", "openai/gpt-4o"]);
    expect(withModel.code).toBe(0);
    expect(bodies()[0]?.model).toBe("gpt-4o");
    expect(systemText(bodies()[0])).toContain("You are AUDITOR-7");

    // Untrusted: the project's agent keeps its prompt, tools and permissions, not its model.
    const untrusted = await setup(turns, false);
    const res2 = await swarmAsAuditor(untrusted);
    expect(res2.code).toBe(0);
    const [u1, u2] = bodies();
    expect(u1?.model).toBe("gpt-4o");
    await expectRanAsAuditor(u1, u2, untrusted.work);

    // Trusted, but the agent file changed since `codetether trust` (e.g. the agent rewrote it): no model either.
    const changed = await setup(turns);
    await fs.appendFile(path.join(changed.work, ".codetether", "agents", "auditor.md"), "Be brief.\n");
    const res3 = await swarmAsAuditor(changed);
    expect(res3.code).toBe(0);
    expect(bodies()[0]?.model).toBe("gpt-4o");
    expect(systemText(bodies()[0])).toContain("Be brief.");
  });

  it("codetether swarm --agent with an unknown agent exits 2 naming the agents that exist", async () => {
    const { work, env } = await setup([{ text: "never asked" }]);
    const res = await runCli(["swarm", "--agent", "nobody", "audit src"], { cwd: work, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('No custom agent "nobody". Defined: auditor.');
    expect(bodies()).toHaveLength(0);
  });

  it("the task tool's agent parameter runs the sub-agent with the agent's model", async () => {
    const { work, env } = await setup([
      {
        toolCalls: [
          { name: "task", arguments: { description: "audit", prompt: "audit src", agent: "auditor" } },
        ],
      },
      { text: "audited" },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--json", "-m", "openai/gpt-4o", "delegate"], { cwd: work, env });
    expect(res.code).toBe(0);
    const [, sub] = bodies();
    expect(sub?.model).toBe("gpt-4o-mini");
    expect(systemText(sub)).toContain("You are AUDITOR-7");
    expect(toolNames(sub)).toEqual(["read", "write"]);
  });
});
