import { describe, expect, it } from "vitest";
import { applyRalphEvent, ralphViewFromStatus } from "../src/state/ralph-state.js";
import { applySwarmEvent, selectAgent, startSwarmView } from "../src/state/swarm-state.js";
import { createTheme } from "../src/theme.js";
import { ralphLines } from "../src/view/ralph-view.js";
import { swarmLines } from "../src/view/swarm-view.js";

const theme = createTheme("dark", false);
const usage = { promptTokens: 3, completionTokens: 4 };

describe("swarm view", () => {
  it("tracks each sub-agent from decomposition to completion, and Tab wraps around", () => {
    let v = startSwarmView("t");
    v = applySwarmEvent(v, { type: "started", runId: "r1", task: "t" });
    v = applySwarmEvent(v, {
      type: "decomposed",
      stages: 2,
      subtasks: [
        { id: "a", name: "A", stage: 0, instruction: "do a" },
        { id: "b", name: "B", stage: 1, instruction: "do b" },
      ],
    });
    v = applySwarmEvent(v, { type: "subtask-start", id: "a" });
    v = applySwarmEvent(v, { type: "subtask-tool", id: "a", tool: "read" });
    expect(swarmLines(v, theme).join("\n")).toContain("⋯ A");
    v = applySwarmEvent(v, {
      type: "subtask-end",
      result: { id: "a", status: "failed", output: "", error: "boom", durationMs: 5, usage },
    });
    v = applySwarmEvent(v, {
      type: "complete",
      result: { success: false, answer: "", error: "1 failed", stats: { speedup: 1 } },
    });
    expect(v.phase).toBe("error");
    expect(v.agents[0]).toMatchObject({ status: "failed", tools: ["read"], error: "boom", tokens: 7 });
    const text = swarmLines(v, theme).join("\n");
    expect(text).toContain("✗ A");
    expect(text).toContain("boom");
    expect(selectAgent(v, 1).selected).toBe(1);
    expect(selectAgent(v, -1).selected).toBe(1);
    expect(selectAgent(selectAgent(v, 1), 1).selected).toBe(0);
  });

  it("explains how to start a swarm when none ran", () => {
    expect(swarmLines(undefined, theme).join("\n")).toContain("/swarm <task>");
  });
});

describe("ralph view", () => {
  it("shows per-story progress live", () => {
    let v = ralphViewFromStatus({
      prdPath: "/p/prd.json",
      project: "demo",
      feature: "F",
      branch: "b",
      stories: [
        { id: "US-1", title: "one", passes: false, waitingOn: [] },
        { id: "US-2", title: "two", passes: false, waitingOn: ["US-1"] },
      ],
    });
    v = applyRalphEvent(v, { type: "started", branch: "b", remaining: 2 });
    v = applyRalphEvent(v, { type: "iteration-start", iteration: 1, storyId: "US-1", attempt: 1 });
    expect(ralphLines(v, theme).join("\n")).toContain("[…] US-1  one  (attempt 1)");
    v = applyRalphEvent(v, { type: "check", storyId: "US-1", result: { name: "test", passed: true } });
    v = applyRalphEvent(v, { type: "story-end", storyId: "US-1", passed: true, commit: "abcdef123456" });
    v = applyRalphEvent(v, { type: "complete", result: { status: "max_iterations" } });
    const text = ralphLines(v, theme).join("\n");
    expect(text).toContain("1/2 stories pass");
    expect(text).toContain("[x] US-1  one  (test: pass · commit abcdef12)");
    expect(text).toContain("[ ] US-2  two");
    expect(text).not.toContain("waiting on");
    expect(text).toContain("max_iterations");
    expect(v.running).toBe(false);
  });
});
