import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ChatRequest, messageText, ToolRegistry } from "@codetether/core";
import {
  createScriptedProvider,
  firstUserText,
  lastMessage,
  textReply as text,
  toolCallReply as toolCall,
} from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { runSwarm, type SwarmEvent } from "../src/index.js";
import { isDecomposition, isSynthesis } from "./swarm-prompts.js";
import { writeFileTool } from "./test-tools.js";

function tempRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-swarm-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  fs.writeFileSync(path.join(dir, "README.md"), "# repo\n");
  git("add", "-A");
  git("commit", "-q", "-m", "init");
  return dir;
}

const PLAN = {
  subtasks: [
    { name: "schema", instruction: "write schema", dependencies: [] },
    { name: "fixtures", instruction: "write fixtures", dependencies: [] },
    { name: "parser", instruction: "write parser", dependencies: ["schema", "fixtures"] },
    { name: "docs", instruction: "write docs", dependencies: ["parser"] },
    { name: "tests", instruction: "write tests", dependencies: ["parser"] },
  ],
};

/** Sub-agents write `<name>.txt` then report; the orchestrator decomposes and synthesises. */
function swarmModel() {
  return createScriptedProvider((request: ChatRequest) => {
    if (isDecomposition(request)) return text(JSON.stringify(PLAN));
    if (isSynthesis(request))
      return text(`SYNTHESIS of ${firstUserText(request).match(/=== Subtask/g)?.length} reports`);
    const name = /Your subtask: "([^"]+)"/.exec(messageText(request.messages[0]!))![1]!;
    if (lastMessage(request).role === "user")
      return toolCall(`c-${name}`, "write_file", { path: `${name}.txt`, content: `${name}\n` });
    return text(`done ${name}`);
  });
}

describe("swarm e2e", () => {
  it("runs 5 sub-agents with dependencies in stage order, merges worktrees and cleans up", async () => {
    const repo = tempRepo();
    const provider = swarmModel();
    const events: SwarmEvent[] = [];
    const result = await runSwarm(
      {
        task: "build a parser",
        provider,
        model: "m",
        tools: new ToolRegistry().register(writeFileTool),
        cwd: repo,
        worktrees: true,
        maxSubagents: 2,
        maxSubtasks: 5,
      },
      (e) => events.push(e),
    );
    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
    expect(result.subtasks.map((s) => [s.id, s.stage, s.status])).toEqual([
      ["schema", 0, "completed"],
      ["fixtures", 0, "completed"],
      ["parser", 1, "completed"],
      ["docs", 2, "completed"],
      ["tests", 2, "completed"],
    ]);
    // Every subtask started only after all subtasks of earlier stages ended.
    const order = events.flatMap((e) =>
      e.type === "subtask-start"
        ? [`start:${e.stage}`]
        : e.type === "subtask-end"
          ? [`end:${e.result.stage}`]
          : [],
    );
    for (const [i, entry] of order.entries()) {
      const [kind, stage] = entry.split(":");
      if (kind !== "start") continue;
      const laterEndOfEarlierStage = order
        .slice(i + 1)
        .some((o) => o.startsWith("end:") && Number(o.slice(4)) < Number(stage));
      expect(laterEndOfEarlierStage).toBe(false);
    }
    // The parser's prompt carried its dependencies' reports.
    const parserPrompt = provider.requests.find((r) =>
      messageText(r.messages[0]!).includes('subtask: "parser"'),
    )!;
    expect(messageText(parserPrompt.messages[1]!)).toMatch(
      /Context from prior work[\s\S]*done schema[\s\S]*done fixtures/,
    );
    // All files merged into the user's branch; no worktrees or swarm branches left.
    for (const name of ["schema", "fixtures", "parser", "docs", "tests"])
      expect(fs.readFileSync(path.join(repo, `${name}.txt`), "utf8")).toBe(`${name}\n`);
    expect(result.merges.every((m) => m.merged)).toBe(true);
    const worktrees = execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" })
      .trim()
      .split("\n");
    expect(worktrees).toHaveLength(1);
    expect(
      execFileSync("git", ["branch", "--list", "codetether/*"], { cwd: repo, encoding: "utf8" }).trim(),
    ).toBe("");
    expect(fs.existsSync(path.join(repo, ".git", "codetether-worktrees", result.runId))).toBe(false);
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: repo, encoding: "utf8" })).toBe("");
    // Result and stats.
    expect(result.answer).toBe("SYNTHESIS of 5 reports");
    expect(result.stats.subagentsSpawned).toBe(5);
    expect(result.stats.stages.map((s) => s.subtasks)).toEqual([2, 1, 2]);
    expect(result.stats.toolCalls).toBe(5);
    expect(result.subtasks[0]!.usage.promptTokens).toBe(20);
    expect(result.stats.usage.promptTokens).toBe(10 + 5 * 20 + 10);
    expect(result.stats.speedup).toBeGreaterThan(0);
    expect(provider.maxInFlight).toBeLessThanOrEqual(2);
    expect(events.at(-1)!.type).toBe("complete");
  });

  it("reports merge conflicts and still cleans up", async () => {
    const repo = tempRepo();
    const plan = {
      subtasks: [
        { name: "one", instruction: "x" },
        { name: "two", instruction: "y" },
      ],
    };
    const provider = createScriptedProvider((request) => {
      if (isDecomposition(request)) return text(JSON.stringify(plan));
      if (isSynthesis(request)) return text("synth");
      const name = /Your subtask: "([^"]+)"/.exec(messageText(request.messages[0]!))![1]!;
      if (lastMessage(request).role === "user")
        return toolCall("c", "write_file", { path: "README.md", content: `${name}\n` });
      return text(`done ${name}`);
    });
    const result = await runSwarm({
      task: "t",
      provider,
      model: "m",
      tools: new ToolRegistry().register(writeFileTool),
      cwd: repo,
      worktrees: true,
    });
    expect(result.success).toBe(false);
    const conflict = result.merges.find((m) => !m.merged)!;
    expect(conflict.conflicts).toEqual(["README.md"]);
    expect(result.error).toMatch(/Merge conflicts in two \(README.md\)/);
    expect(
      execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" }).trim().split("\n"),
    ).toHaveLength(1);
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: repo, encoding: "utf8" })).toBe("");
    expect(fs.readFileSync(path.join(repo, "README.md"), "utf8")).toBe("one\n");
  });

  it("explains that worktrees need a git repository", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-swarm-nogit-"));
    const provider = createScriptedProvider(() => text(JSON.stringify(PLAN)));
    await expect(
      runSwarm({ task: "t", provider, model: "m", tools: new ToolRegistry(), cwd: dir, worktrees: true }),
    ).rejects.toThrow(/needs a git repository/);
  });
});
