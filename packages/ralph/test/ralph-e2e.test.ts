import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { type ChatRequest, messageText, ToolRegistry } from "@codetether/core";
import { createScriptedProvider, lastMessage, textReply as text } from "@codetether/testing";
import { writeTool } from "@codetether/tools";
import { describe, expect, it } from "vitest";
import { loadPrd, type RalphEvent, ralphStatus, runRalph } from "../src/index.js";
import { IMPL, tempProject } from "./story-fixtures.js";

const currentStory = (r: ChatRequest) =>
  /## Current story: (\S+)/.exec(messageText(r.messages[1]!))?.[1] ?? "";

/** A story agent that writes the implementation and its test with the real `write` tool. */
function storyModel(override?: (id: string) => { code?: string; test?: string }) {
  return createScriptedProvider((request) => {
    const id = currentStory(request);
    const impl = { ...IMPL[id]!, ...override?.(id) };
    if (lastMessage(request).role === "user")
      return [
        { type: "tool-call-start", id: "w1", name: "write" },
        {
          type: "tool-call-delta",
          id: "w1",
          argumentsDelta: JSON.stringify({ path: impl.file, content: impl.code }),
        },
        { type: "tool-call-end", id: "w1" },
        { type: "tool-call-start", id: "w2", name: "write" },
        {
          type: "tool-call-delta",
          id: "w2",
          argumentsDelta: JSON.stringify({
            path: `test/${path.basename(impl.file, ".js")}.test.js`,
            content: impl.test,
          }),
        },
        { type: "tool-call-end", id: "w2" },
        { type: "finish", reason: "tool_calls" },
      ];
    return text(`Implemented ${id}. Learned: node --test finds test/*.test.js.\nSTORY_COMPLETE: ${id}`);
  });
}

const STORIES = [
  { id: "US-3", title: "Mean", priority: 1, depends_on: ["US-1", "US-2"] },
  { id: "US-1", title: "Sum", priority: 2 },
  { id: "US-2", title: "Product", priority: 1, depends_on: ["US-1"] },
];

const log = (dir: string) =>
  execFileSync("git", ["log", "--format=%s"], { cwd: dir, encoding: "utf8" }).trim().split("\n");

describe("ralph e2e", () => {
  it("takes a 3-story PRD to all passes with one commit per story on the PRD branch", async () => {
    const { dir, prdPath } = tempProject(STORIES);
    const events: RalphEvent[] = [];
    const result = await runRalph({
      prdPath,
      provider: storyModel(),
      model: "m",
      tools: new ToolRegistry().register(writeTool),
      onEvent: (e) => events.push(e),
    });
    expect(result.status).toBe("completed");
    expect(result.iterations).toBe(3);
    expect((await loadPrd(prdPath)).user_stories.map((s) => [s.id, s.passes])).toEqual([
      ["US-3", true],
      ["US-1", true],
      ["US-2", true],
    ]);
    expect(log(dir)).toEqual(["feat(us-3): Mean", "feat(us-2): Product", "feat(us-1): Sum", "init"]);
    expect(execFileSync("git", ["branch", "--show-current"], { cwd: dir, encoding: "utf8" }).trim()).toBe(
      "feature/math",
    );
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" })).toBe("");
    // Each commit carries its story's files, the PRD update and progress entry.
    const files = execFileSync("git", ["show", "--name-only", "--format=", "HEAD~1"], {
      cwd: dir,
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .sort();
    expect(files).toEqual(["prd.json", "progress.txt", "src/product.js", "test/product.test.js"]);
    const progress = fs.readFileSync(path.join(dir, "progress.txt"), "utf8");
    expect(progress.match(/^## Iteration \d+ - US-\d/gm)).toEqual([
      "## Iteration 1 - US-1",
      "## Iteration 2 - US-2",
      "## Iteration 3 - US-3",
    ]);
    expect(progress).toMatch(/- test: pass \(`node --test`, exit 0\)/);
    const checks = events.filter((e) => e.type === "check");
    expect(checks).toHaveLength(3);
    const status = await ralphStatus(prdPath);
    expect(status.passed).toBe(3);
    expect(status.iterations).toBe(3);
  });

  it("keeps a story whose check fails at passes:false, logs the failure and feeds it to the next attempt", async () => {
    const { dir, prdPath } = tempProject([{ id: "US-1", title: "Sum" }]);
    const provider = storyModel(() => ({ code: "export const sum = (a, b) => a - b;\n" }));
    const result = await runRalph({
      prdPath,
      provider,
      model: "m",
      tools: new ToolRegistry().register(writeTool),
      maxIterations: 2,
    });
    expect(result.status).toBe("max_iterations");
    expect((await loadPrd(prdPath)).user_stories[0]!.passes).toBe(false);
    expect(log(dir)).toEqual(["init"]);
    const progress = fs.readFileSync(path.join(dir, "progress.txt"), "utf8");
    expect(progress.match(/\*\*Status:\*\* failed/g)).toHaveLength(2);
    expect(progress).toMatch(/- test: FAIL \(`node --test`, exit 1\)/);
    expect(progress).toMatch(
      /### Failure\nCheck "test" \(`node --test`\) exited 1:[\s\S]*(AssertionError|Expected values to be strictly equal)/,
    );
    // The second attempt's prompt carries the check output.
    const secondAttempt = provider.requests.filter((r) => r.messages.length === 2)[1]!;
    expect(messageText(secondAttempt.messages[1]!)).toMatch(
      /The previous attempt at this story failed[\s\S]*exited 1/,
    );
  });
});
