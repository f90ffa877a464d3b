import os from "node:os";
import { messageText, ToolRegistry } from "@codetether/core";
import { createScriptedProvider, textReply as text } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { runSwarmCommand, type SwarmEvent } from "../src/index.js";
import { isDecomposition, isSynthesis } from "./swarm-prompts.js";

const PLAN = {
  subtasks: [
    { name: "a", instruction: "x" },
    { name: "b", instruction: "y", dependencies: ["a"] },
  ],
};

function deps(fail = false) {
  const provider = createScriptedProvider((request) => {
    if (isDecomposition(request)) return text(JSON.stringify(PLAN));
    if (isSynthesis(request)) return text("FINAL ANSWER");
    if (fail && messageText(request.messages[1]!).startsWith("y")) throw new Error("kaput");
    return text("report");
  });
  return {
    provider,
    deps: {
      resolveModel: async (model?: string) => ({ provider, model: model ?? "default" }),
      tools: new ToolRegistry(),
      cwd: os.tmpdir(),
    },
  };
}

function capture(isTTY = false) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { isTTY, columns: 80, write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    },
  };
}

describe("runSwarmCommand", () => {
  it("prints one line per event and a summary when not a TTY", async () => {
    const { out, io } = capture();
    const { deps: d, provider } = deps();
    expect(await runSwarmCommand({ task: "do it", model: "big" }, d, io)).toBe(0);
    expect(out.stdout).toMatch(
      /decomposed into 2 subtasks in 2 stages\nstage 0: a\n {2}start a\n {2}completed a in \d+m?s \(1 steps\)/,
    );
    expect(out.stdout).toMatch(
      /FINAL ANSWER\n\n✓ 2\/2 subtasks completed\nsub-agents: 2 · tool calls: 0 · tokens: 60\nwall .* speed-up/,
    );
    expect(out.stdout.includes("\x1b[")).toBe(false);
    expect(provider.requests[0]!.model).toBe("big");
  });

  it("writes JSON lines with --json", async () => {
    const { out, io } = capture(true);
    expect(await runSwarmCommand({ task: "do it", json: true }, deps().deps, io)).toBe(0);
    const events = out.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as SwarmEvent);
    expect(events[0]!.type).toBe("started");
    const last = events.at(-1)!;
    expect(last.type === "complete" && last.result.answer).toBe("FINAL ANSWER");
  });

  it("draws a live view on a TTY and exits 2 when a subtask fails", async () => {
    const { out, io } = capture(true);
    expect(await runSwarmCommand({ task: "do it" }, deps(true).deps, io)).toBe(1);
    expect(out.stdout.includes("\x1b[J")).toBe(true);
    expect(out.stdout).toMatch(/✗ s1 b/);
    expect(out.stdout).toMatch(/1\/2 subtasks completed, 1 failed/);
  });

  it("rejects bad options with actionable messages", async () => {
    const { out, io } = capture();
    expect(await runSwarmCommand({ task: " ", strategy: "fast", maxSubagents: 0 }, deps().deps, io)).toBe(2);
    expect(out.stderr).toMatch(/Give the task to run/);
    expect(out.stderr).toMatch(/Unknown strategy "fast"; use one of auto, domain, data, stage, none/);
    expect(out.stderr).toMatch(/--max-subagents must be a positive integer, got 0/);
    const bad = capture();
    const failing = {
      ...deps().deps,
      resolveModel: async () => Promise.reject(new Error('Unknown provider "nope"')),
    };
    expect(await runSwarmCommand({ task: "x" }, failing, bad.io)).toBe(1);
    expect(bad.out.stderr).toMatch(/Unknown provider "nope"/);
  });

  it("exits 130 when cancelled", async () => {
    const { io } = capture();
    const controller = new AbortController();
    controller.abort();
    expect(await runSwarmCommand({ task: "x" }, { ...deps().deps, signal: controller.signal }, io)).toBe(130);
  });
});
