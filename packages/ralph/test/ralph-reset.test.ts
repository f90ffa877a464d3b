import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ToolRegistry } from "@codetether/core";
import { createScriptedProvider, lastMessage, textReply as text } from "@codetether/testing";
import { writeTool } from "@codetether/tools";
import { describe, expect, it } from "vitest";
import { runRalph } from "../src/index.js";
import { IMPL, tempProject } from "./story-fixtures.js";

/** Each call of `files(attempt)` is one attempt: the model writes those files, then says it is done. */
function attemptsModel(files: (attempt: number) => Record<string, string>) {
  let attempt = 0;
  return createScriptedProvider((request) => {
    if (lastMessage(request).role !== "user") return text("STORY_COMPLETE: US-1");
    attempt++;
    const writes = Object.entries(files(attempt));
    return [
      ...writes.flatMap(([file, content], i) => [
        { type: "tool-call-start" as const, id: `w${i}`, name: "write" },
        {
          type: "tool-call-delta" as const,
          id: `w${i}`,
          argumentsDelta: JSON.stringify({ path: file, content }),
        },
        { type: "tool-call-end" as const, id: `w${i}` },
      ]),
      { type: "finish" as const, reason: "tool_calls" as const },
    ];
  });
}

const git = (dir: string, ...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });

describe("ralph after a failed attempt", () => {
  it("restores the files the attempt changed (a patch of them in the progress log); the next passing story commits only its own work; the user's uncommitted work is kept", async () => {
    const { dir, prdPath } = tempProject([{ id: "US-1", title: "Sum" }]);
    const impl = IMPL["US-1"]!;
    // Uncommitted work of the user's from before the run, tracked and untracked.
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", name: "mine" }));
    fs.writeFileSync(path.join(dir, "notes.txt"), "my notes\n");
    const provider = attemptsModel((attempt) =>
      attempt === 1
        ? {
            [impl.file]: "export const sum = (a, b) => a - b;\n",
            "test/sum.test.js": impl.test,
            "wrong.txt": "left by a failed attempt\n",
            "package.json": "{}\n",
          }
        : { [impl.file]: impl.code, "test/sum.test.js": impl.test },
    );
    const result = await runRalph({
      prdPath,
      provider,
      model: "m",
      tools: new ToolRegistry().register(writeTool),
      maxIterations: 2,
    });
    expect(result.status).toBe("completed");
    const files = git(dir, "show", "--name-only", "--format=%s", "HEAD").trim().split("\n");
    expect(files[0]).toBe("feat(us-1): Sum");
    expect(files).not.toContain("wrong.txt");
    expect(fs.existsSync(path.join(dir, "wrong.txt"))).toBe(false);
    // The user's own changes survived the reset (restored to what they were before the attempt).
    expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))).toEqual({
      type: "module",
      name: "mine",
    });
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe("my notes\n");
    const progress = fs.readFileSync(path.join(dir, "progress.txt"), "utf8");
    const discarded =
      /### Discarded changes\nUndone in the working tree after the failure:\n```diff\n([\s\S]*?)\n```/.exec(
        progress,
      )?.[1];
    expect(discarded).toContain("+left by a failed attempt");
    expect(discarded).toContain("+export const sum = (a, b) => a - b;");
    expect(discarded).not.toContain("prd.json");
  });
});
