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
import { writeTool } from "@codetether/tools";
import { describe, expect, it } from "vitest";
import { loadPrd, runRalph } from "../src/index.js";

function project(stories: unknown[], checks: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-ralph-resume-"));
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir });
  execFileSync("git", ["config", "user.email", "t@example.com"], { cwd: dir });
  execFileSync("git", ["config", "user.name", "t"], { cwd: dir });
  const prdPath = path.join(dir, "prd.json");
  fs.writeFileSync(
    prdPath,
    JSON.stringify({ project: "p", feature: "f", quality_checks: checks, user_stories: stories }),
  );
  execFileSync("git", ["add", "-A"], { cwd: dir });
  execFileSync("git", ["commit", "-q", "-m", "init"], { cwd: dir });
  return { dir, prdPath };
}

/** Alive and not a zombie (a killed orphan may wait for a reaper that containers lack). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}

const storyOf = (r: Parameters<typeof lastMessage>[0]) =>
  /## Current story: (\S+)/.exec(messageText(r.messages[1]!))?.[1];

describe("ralph resume and guards", () => {
  it("resumes after an abort: finished stories stay done, numbering continues", async () => {
    const { dir, prdPath } = project([
      { id: "A", title: "a" },
      { id: "B", title: "b", depends_on: ["A"] },
    ]);
    const controller = new AbortController();
    const first = createScriptedProvider(async (request, signal) => {
      const id = storyOf(request)!;
      if (id === "B") {
        controller.abort();
        if (signal?.aborted) throw new Error("aborted");
      }
      if (lastMessage(request).role === "user")
        return toolCall("w", "write", { path: `${id}.txt`, content: id });
      return text("done");
    });
    const tools = new ToolRegistry().register(writeTool);
    const aborted = await runRalph({
      prdPath,
      provider: first,
      model: "m",
      tools,
      signal: controller.signal,
    });
    expect(aborted.status).toBe("aborted");
    expect(aborted.passed).toEqual(["A"]);
    const second = createScriptedProvider((request) => {
      const id = storyOf(request)!;
      if (lastMessage(request).role === "user")
        return toolCall("w", "write", { path: `${id}.txt`, content: id });
      return text("done");
    });
    const resumed = await runRalph({ prdPath, provider: second, model: "m", tools });
    expect(resumed.status).toBe("completed");
    expect(resumed.iterations).toBe(1);
    expect(second.requests.every((r) => storyOf(r) === "B")).toBe(true);
    expect(messageText(second.requests[0]!.messages[1]!)).toMatch(/Iteration 2 - B: b[\s\S]*aborted/);
    const progress = fs.readFileSync(path.join(dir, "progress.txt"), "utf8");
    expect(progress.match(/^## Iteration (\d+) - (\w)/gm)).toEqual([
      "## Iteration 1 - A",
      "## Iteration 2 - B",
      "## Iteration 3 - B",
    ]);
    expect(
      execFileSync("git", ["log", "--format=%s"], { cwd: dir, encoding: "utf8" }).trim().split("\n"),
    ).toEqual(["feat(b): b", "feat(a): a", "init"]);
  });

  it("does not let the agent mark its own story as passing", async () => {
    const { prdPath } = project([{ id: "A", title: "a" }], { test: "exit 3" });
    const provider = createScriptedProvider((request) => {
      if (lastMessage(request).role === "user") {
        const forged = JSON.parse(fs.readFileSync(prdPath, "utf8"));
        forged.user_stories[0].passes = true;
        return toolCall("w", "write", { path: "prd.json", content: JSON.stringify(forged) });
      }
      return text("I marked it done");
    });
    const result = await runRalph({
      prdPath,
      provider,
      model: "m",
      tools: new ToolRegistry().register(writeTool),
      maxIterations: 1,
    });
    expect(result.passed).toEqual([]);
    expect((await loadPrd(prdPath)).user_stories[0]!.passes).toBe(false);
  });

  it("kills a hanging check's whole process group on timeout", async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ct-ralph-pid-")), "child.pid");
    const { dir, prdPath } = project([{ id: "A", title: "a" }], {
      test: `sleep 30 & echo $! > ${pidFile}; wait`,
    });
    const provider = createScriptedProvider(() => text("nothing to do"));
    const result = await runRalph({
      prdPath,
      provider,
      model: "m",
      tools: new ToolRegistry(),
      maxIterations: 1,
      checkTimeoutMs: 300,
    });
    expect(result.passed).toEqual([]);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    await new Promise((r) => setTimeout(r, 50));
    expect(isRunning(pid)).toBe(false);
    expect(fs.readFileSync(path.join(dir, "progress.txt"), "utf8")).toMatch(/timed out after 300 ms/);
  });

  it("explains a branch_name outside a git repository and rejects bad options", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-ralph-nogit-"));
    const prdPath = path.join(dir, "prd.json");
    fs.writeFileSync(
      prdPath,
      JSON.stringify({
        project: "p",
        feature: "f",
        branch_name: "feature/x",
        user_stories: [{ id: "A", title: "a" }],
      }),
    );
    const provider = createScriptedProvider(() => text("x"));
    await expect(runRalph({ prdPath, provider, model: "m", tools: new ToolRegistry() })).rejects.toThrow(
      /not a git repository/,
    );
    await expect(
      runRalph({ prdPath, provider, model: "m", tools: new ToolRegistry(), maxIterations: 0 }),
    ).rejects.toThrow(/positive integer/);
  });

  it("moves on from a story out of attempts, ends blocked, and warns about a dirty tree", async () => {
    const { dir, prdPath } = project(
      [
        { id: "A", title: "a", priority: 1 },
        { id: "B", title: "b", priority: 2 },
        { id: "C", title: "c", depends_on: ["A"] },
      ],
      { test: "test ! -e broken" },
    );
    fs.writeFileSync(path.join(dir, "stray.txt"), "uncommitted");
    const provider = createScriptedProvider((request) => {
      const id = storyOf(request)!;
      if (lastMessage(request).role === "user")
        return toolCall("w", "write", { path: id === "A" ? "broken" : `${id}.txt`, content: id });
      return text("done");
    });
    const events: string[] = [];
    const result = await runRalph({
      prdPath,
      provider,
      model: "m",
      tools: new ToolRegistry().register(writeTool),
      maxAttemptsPerStory: 1,
      onEvent: (e) => {
        if (e.type === "warning") events.push(e.message);
        if (e.type === "iteration-start") events.push(`start ${e.storyId}`);
      },
    });
    expect(events[0]).toMatch(/Uncommitted changes \(stray.txt\) will be included/);
    expect(events.slice(1)).toEqual(["start A", "start B"]);
    expect(result.status).toBe("blocked");
    // A's failed attempt (the `broken` file) was undone, so it does not fail B's checks too.
    expect(fs.existsSync(path.join(dir, "broken"))).toBe(false);
    expect(result.passed).toEqual(["B"]);
    expect(result.remaining).toEqual(["A", "C"]);
    expect(fs.readFileSync(path.join(dir, "stray.txt"), "utf8")).toBe("uncommitted");
  });
});
