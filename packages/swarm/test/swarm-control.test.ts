import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { messageText, ToolRegistry } from "@codetether/core";
import {
  createScriptedProvider,
  lastMessage,
  textReply as text,
  toolCallReply as toolCall,
} from "@codetether/testing";
import { bashTool } from "@codetether/tools";
import { describe, expect, it } from "vitest";
import { cleanupSwarmWorktrees, runSwarm, SubtaskCache, startSwarm, WorktreeManager } from "../src/index.js";
import { isDecomposition, isSynthesis } from "./swarm-prompts.js";
import { isAlive, sleepProcessTool } from "./test-tools.js";

const subtaskName = (r: Parameters<typeof messageText>[0]) =>
  /Your subtask: "([^"]+)"/.exec(messageText(r))?.[1] ?? "";

describe("swarm control", () => {
  it("cancel stops every sub-agent, kills their processes and removes worktrees", async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "ct-swarm-abort-"));
    execFileSync("git", ["init", "-q"], { cwd: repo });
    execFileSync(
      "git",
      ["-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "init"],
      { cwd: repo },
    );
    const plan = { subtasks: ["a", "b", "c"].map((name) => ({ name, instruction: name })) };
    const pids: number[] = [];
    const provider = createScriptedProvider((request) => {
      if (isDecomposition(request)) return text(JSON.stringify(plan));
      return toolCall("c1", "sleep_proc", {});
    });
    const controller = new AbortController();
    const run = startSwarm({
      task: "t",
      provider,
      model: "m",
      cwd: repo,
      worktrees: true,
      signal: controller.signal,
      tools: new ToolRegistry().register(sleepProcessTool(pids)),
    });
    while (pids.length < 3) await new Promise((r) => setTimeout(r, 10));
    expect(pids.every(isAlive)).toBe(true);
    controller.abort();
    const result = await run.result;
    expect(result.success).toBe(false);
    expect(result.error).toMatch(/Cancelled/);
    expect(result.subtasks.map((s) => s.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(isAlive)).toEqual([]);
    expect(
      execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" }).trim().split("\n"),
    ).toHaveLength(1);
    expect(
      execFileSync("git", ["branch", "--list", "codetether/*"], { cwd: repo, encoding: "utf8" }).trim(),
    ).toBe("");
  });

  it("cancel kills the process trees started by the real bash tool", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-swarm-bash-"));
    const plan = { subtasks: ["x", "y"].map((name) => ({ name, instruction: name })) };
    const provider = createScriptedProvider((request) => {
      if (isDecomposition(request)) return text(JSON.stringify(plan));
      const name = subtaskName(request.messages[0]!);
      // A grandchild in the background plus a foreground sleep: both must die.
      return toolCall("b1", "bash", {
        command: `sleep 61 & echo $! > ${name}.bg; echo $$ > ${name}.sh; sleep 62`,
      });
    });
    const controller = new AbortController();
    const run = startSwarm({
      task: "t",
      provider,
      model: "m",
      cwd: dir,
      signal: controller.signal,
      tools: new ToolRegistry().register(bashTool),
    });
    const pidFiles = ["x.bg", "x.sh", "y.bg", "y.sh"].map((f) => path.join(dir, f));
    while (!pidFiles.every((f) => fs.existsSync(f) && fs.readFileSync(f, "utf8").trim()))
      await new Promise((r) => setTimeout(r, 20));
    const pids = pidFiles.map((f) => Number(fs.readFileSync(f, "utf8")));
    expect(pids.every(isAlive)).toBe(true);
    controller.abort();
    const result = await run.result;
    expect(result.subtasks.map((s) => s.status)).toEqual(["cancelled", "cancelled"]);
    for (let i = 0; i < 50 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 20));
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it("reuses identical sub-queries and skips dependents of failed subtasks", async () => {
    const plan = {
      subtasks: [
        { name: "a", instruction: "same question" },
        { name: "b", instruction: "same question" },
        { name: "broken", instruction: "will fail" },
        { name: "after", instruction: "needs broken", dependencies: ["broken"] },
      ],
    };
    let subagentCalls = 0;
    const provider = createScriptedProvider((request) => {
      if (isDecomposition(request)) return text(JSON.stringify(plan));
      if (isSynthesis(request)) return text("synth");
      subagentCalls++;
      if (messageText(lastMessage(request)).includes("will fail")) throw new Error("boom");
      return text("answer");
    });
    const cache = new SubtaskCache();
    const result = await runSwarm({
      task: "t",
      provider,
      model: "m",
      tools: new ToolRegistry(),
      cwd: os.tmpdir(),
      cache,
    });
    // "a" and "b" differ only in name: one model call serves both.
    expect(result.subtasks.map((s) => [s.id, s.status, s.cached])).toEqual([
      ["a", "completed", false],
      ["b", "completed", true],
      ["broken", "failed", false],
      ["after", "skipped", false],
    ]);
    expect(subagentCalls).toBe(2);
    expect(result.stats.cacheHits).toBe(1);
    expect(result.subtasks[2]!.error).toMatch(/boom/);
    expect(result.subtasks[3]!.error).toMatch(/dependencies did not complete: broken/);
    expect(result.success).toBe(false);
    expect(result.answer).toBe("synth");
    // A second run sharing the cache does not call the model for the same sub-query.
    const again = await runSwarm({
      task: "t2",
      provider,
      model: "m",
      tools: new ToolRegistry(),
      cwd: os.tmpdir(),
      cache,
      strategy: "none",
    });
    expect(again.stats.subagentsSpawned).toBe(1);
  });

  it("restricts a sub-agent to its requested tools plus swarm_share, sharing tool objects", async () => {
    const plan = {
      subtasks: [
        { name: "a", instruction: "x", tools: ["sleep_proc"] },
        { name: "b", instruction: "y" },
        { name: "c", instruction: "z", tools: ["swarm_share", "sleep_proc"] },
      ],
    };
    const seen = new Map<string, string[]>();
    const definitions = new Map<string, unknown>();
    const provider = createScriptedProvider((request) => {
      if (isDecomposition(request)) return text(JSON.stringify(plan));
      if (isSynthesis(request)) return text("s");
      definitions.set(subtaskName(request.messages[0]!), request.tools);
      seen.set(
        subtaskName(request.messages[0]!),
        (request.tools ?? []).map((t) => t.name),
      );
      return text("ok");
    });
    const tools = new ToolRegistry().register(sleepProcessTool([]), { ...sleepProcessTool([]), id: "other" });
    await runSwarm({ task: "t", provider, model: "m", tools, cwd: os.tmpdir() });
    expect(seen.get("a")).toEqual(["sleep_proc", "swarm_share"]);
    expect(seen.get("c")).toEqual(["sleep_proc", "swarm_share"]);
    // Same tool set, same registry: the JSON schemas are computed once, not per sub-agent.
    expect(definitions.get("a")).toBe(definitions.get("c"));
    expect(seen.get("b")).toEqual(["sleep_proc", "other", "swarm_share"]);
  });

  it("lets sub-agents share results through swarm_share", async () => {
    const plan = {
      subtasks: [
        { name: "producer", instruction: "p" },
        { name: "consumer", instruction: "c", dependencies: ["producer"] },
      ],
    };
    const provider = createScriptedProvider((request) => {
      if (isDecomposition(request)) return text(JSON.stringify(plan));
      if (isSynthesis(request)) return text("s");
      const name = subtaskName(request.messages[0]!);
      const last = lastMessage(request);
      if (name === "producer" && last.role === "user")
        return toolCall("p1", "swarm_share", {
          action: "publish",
          key: "api/shape",
          value: "{id:number}",
          tags: ["api"],
        });
      if (name === "consumer" && last.role === "user")
        return toolCall("c1", "swarm_share", { action: "query", tags: ["api"] });
      if (last.role === "tool") return text(`saw: ${JSON.stringify(last.content[0])}`);
      return text("?");
    });
    const result = await runSwarm({
      task: "t",
      provider,
      model: "m",
      tools: new ToolRegistry(),
      cwd: os.tmpdir(),
    });
    expect(result.subtasks[1]!.output).toMatch(/\[api\/shape\] from producer tags=api.*\{id:number\}/);
  });

  it("fails a sub-agent that exceeds its time limit without stopping the others", async () => {
    const plan = {
      subtasks: [
        { name: "slow", instruction: "hang" },
        { name: "fast", instruction: "quick" },
      ],
    };
    const provider = createScriptedProvider(async (request, signal) => {
      if (isDecomposition(request)) return text(JSON.stringify(plan));
      if (isSynthesis(request)) return text("s");
      if (messageText(lastMessage(request)) === "hang")
        await new Promise((_, reject) =>
          signal?.addEventListener("abort", () => reject(new Error("aborted"))),
        );
      return text("quick answer");
    });
    const result = await runSwarm({
      task: "t",
      provider,
      model: "m",
      tools: new ToolRegistry(),
      cwd: os.tmpdir(),
      timeoutMs: 200,
    });
    expect(result.subtasks.map((s) => [s.id, s.status])).toEqual([
      ["slow", "failed"],
      ["fast", "completed"],
    ]);
    expect(result.subtasks[0]!.error).toMatch(/timed out after 200 ms/);
  });

  it("cleans up worktrees and branches left by a killed run", async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "ct-swarm-stale-"));
    execFileSync("git", ["init", "-q"], { cwd: repo });
    execFileSync(
      "git",
      ["-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "init"],
      { cwd: repo },
    );
    const crashed = await WorktreeManager.open(repo, "dead0001");
    await crashed.create("left-behind");
    execFileSync("git", ["branch", "codetether/unrelated"], { cwd: repo });
    const dry = await cleanupSwarmWorktrees(repo, { dryRun: true });
    expect(dry.branches).toEqual(["codetether/swarm-dead0001/left-behind"]);
    expect(dry.worktrees).toHaveLength(1);
    expect(
      execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" }).trim().split("\n"),
    ).toHaveLength(2);
    await cleanupSwarmWorktrees(repo);
    expect(
      execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" }).trim().split("\n"),
    ).toHaveLength(1);
    expect(
      execFileSync("git", ["branch", "--list", "codetether/*"], { cwd: repo, encoding: "utf8" }).trim(),
    ).toBe("codetether/unrelated");
  });
});
