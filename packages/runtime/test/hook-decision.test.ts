import { describe, expect, it } from "vitest";
import { decideHook } from "../src/hooks/hook-decision.js";
import { hookMatches } from "../src/hooks/hook-matcher.js";
import type { HookProcessResult } from "../src/hooks/run-hook-command.js";

const run = (over: Partial<HookProcessResult>): HookProcessResult => ({
  exitCode: 0,
  stdout: "",
  stderr: "",
  timedOut: false,
  durationMs: 1,
  ...over,
});

describe("hook matcher", () => {
  it("is a case-insensitive glob with | alternatives; no matcher, '' and * match everything", () => {
    expect(hookMatches("Bash", "bash")).toBe(true);
    expect(hookMatches("write|edit", "edit")).toBe(true);
    expect(hookMatches("write|edit", "multiedit")).toBe(false);
    expect(hookMatches("mcp_*", "mcp_github_search")).toBe(true);
    expect(hookMatches("mcp_*", "bash")).toBe(false);
    expect(hookMatches("ba?h", "bash")).toBe(true);
    expect(hookMatches("a.b", "axb")).toBe(false);
    for (const m of [undefined, "", "*"]) expect(hookMatches(m, "anything")).toBe(true);
  });
});

describe("hook decisions (Claude Code semantics)", () => {
  it("exit 2 blocks the events that can be blocked, with stderr as the reason; warns for the others", () => {
    expect(decideHook("pre_tool_use", "h", run({ exitCode: 2, stderr: "no\n" }))).toEqual({
      decision: "block",
      block: "no",
    });
    const start = decideHook("session_start", "h", run({ exitCode: 2, stderr: "no" }));
    expect(start.decision).toBe("warn");
    expect(start.notice).toContain("cannot be blocked");
  });

  it("other exit codes and timeouts warn, and the run goes on", () => {
    expect(decideHook("stop", "h", run({ exitCode: 1, stderr: "oops" }))).toMatchObject({
      decision: "warn",
      notice: expect.stringContaining("exited with code 1: oops"),
    });
    expect(decideHook("stop", "h", run({ exitCode: null, timedOut: true })).decision).toBe("timeout");
  });

  it("reads JSON output: updatedInput, permissionDecision deny, decision block, additionalContext, systemMessage", () => {
    const updated = decideHook(
      "pre_tool_use",
      "h",
      run({ stdout: '{"hookSpecificOutput":{"updatedInput":{"command":"ls"}},"systemMessage":"rewrote"}' }),
    );
    expect(updated).toEqual({ decision: "continue", updatedInput: { command: "ls" }, notice: "rewrote" });
    expect(
      decideHook(
        "pre_tool_use",
        "h",
        run({
          stdout:
            '{"hookSpecificOutput":{"permissionDecision":"deny","permissionDecisionReason":"policy","updatedInput":{"a":1}}}',
        }),
      ),
    ).toEqual({ decision: "block", block: "policy" });
    expect(decideHook("stop", "h", run({ stdout: '{"decision":"block","reason":"tests first"}' }))).toEqual({
      decision: "block",
      block: "tests first",
    });
    expect(
      decideHook("post_tool_use", "h", run({ stdout: '{"hookSpecificOutput":{"additionalContext":"ok"}}' })),
    ).toEqual({ decision: "continue", additionalContext: "ok" });
    // updatedInput only means something before a tool call.
    expect(
      decideHook("post_tool_use", "h", run({ stdout: '{"hookSpecificOutput":{"updatedInput":{"a":1}}}' })),
    ).toEqual({ decision: "continue" });
  });

  it("plain stdout is context for user_prompt_submit and session_start only; bad JSON warns", () => {
    expect(decideHook("user_prompt_submit", "h", run({ stdout: "ticket open\n" }))).toEqual({
      decision: "continue",
      additionalContext: "ticket open",
    });
    expect(decideHook("pre_tool_use", "h", run({ stdout: "chatter" }))).toEqual({ decision: "continue" });
    expect(decideHook("stop", "h", run({ stdout: "{not json" })).decision).toBe("warn");
  });
});
