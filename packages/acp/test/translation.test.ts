import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TerminalHandle } from "@agentclientprotocol/sdk";
import { createSession, type ToolContext } from "@codetether/core";
import { describe, expect, it } from "vitest";
import {
  answerFor,
  createTerminalBashTool,
  EventTranslator,
  mcpServersToConfig,
  PendingToolCalls,
  promptToParts,
  replayHistory,
  stopReasonFor,
} from "../src/index.js";

describe("EventTranslator", () => {
  it("maps a tool call's life cycle to tool_call / tool_call_update with kind, title, locations and diff", () => {
    const t = new EventTranslator({ cwd: "/w", contextWindow: 1000 });
    const args = { path: "src/a.ts", oldString: "a", newString: "b" };
    expect(
      t.translate({ type: "tool-call", callId: "c", tool: "edit", arguments: JSON.stringify(args) }),
    ).toEqual([
      {
        sessionUpdate: "tool_call",
        toolCallId: "c",
        title: "Edit src/a.ts",
        kind: "edit",
        status: "pending",
        locations: [{ path: "/w/src/a.ts" }],
        rawInput: args,
      },
    ]);
    expect(t.translate({ type: "tool-start", callId: "c", tool: "edit", args })[0]).toMatchObject({
      status: "in_progress",
    });
    const [end] = t.translate({
      type: "tool-end",
      callId: "c",
      tool: "edit",
      result: { output: "Edited" },
      durationMs: 1,
    });
    expect(end).toMatchObject({
      status: "completed",
      content: [{ type: "diff", path: "/w/src/a.ts", oldText: "a", newText: "b" }],
    });
    const [failed] = t.translate({
      type: "tool-end",
      callId: "d",
      tool: "edit",
      result: { output: "oldString was not found", isError: true },
      durationMs: 1,
    });
    expect(failed).toMatchObject({
      status: "failed",
      content: [{ type: "content", content: { type: "text", text: "oldString was not found" } }],
    });
  });

  it("diffs a local file's whole content before and after an edit tool ran", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-acp-diff-"));
    await fs.writeFile(path.join(dir, "f.txt"), "a\nb\nc\n");
    const t = new EventTranslator({ cwd: dir });
    const args = { path: "f.txt", oldString: "b", newString: "B" };
    t.translate({ type: "tool-start", callId: "c", tool: "edit", args });
    await fs.writeFile(path.join(dir, "f.txt"), "a\nB\nc\n");
    const [end] = t.translate({
      type: "tool-end",
      callId: "c",
      tool: "edit",
      result: { output: "ok" },
      durationMs: 1,
    });
    expect(end).toMatchObject({
      content: [{ type: "diff", path: path.join(dir, "f.txt"), oldText: "a\nb\nc\n", newText: "a\nB\nc\n" }],
    });
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("reports context usage against the window and cost", () => {
    const t = new EventTranslator({ cwd: "/w", contextWindow: 128_000 });
    const usage = { promptTokens: 900, completionTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };
    expect(t.translate({ type: "usage", step: 1, usage, total: { ...usage, cost: 0.5 } })).toEqual([
      { sessionUpdate: "usage_update", used: 1000, size: 128_000, cost: { amount: 0.5, currency: "USD" } },
    ]);
  });

  it("shows a hook's notice to the user as its own line of the reply", () => {
    const t = new EventTranslator({ cwd: "/w" });
    expect(t.translate({ type: "hook-notice", event: "pre_tool_use", message: "hook timed out" })).toEqual([
      {
        sessionUpdate: "agent_message_chunk",
        content: { type: "text", text: "\n> hook (pre_tool_use): hook timed out\n" },
      },
    ]);
  });

  it("maps turn end reasons to ACP stop reasons", () => {
    expect(stopReasonFor("stop")).toBe("end_turn");
    expect(stopReasonFor("length")).toBe("max_tokens");
    expect(stopReasonFor("max_steps")).toBe("max_turn_requests");
    expect(stopReasonFor("content_filter")).toBe("refusal");
    expect(stopReasonFor("aborted")).toBe("cancelled");
  });
});

describe("replayHistory", () => {
  it("replays messages, thoughts and tool calls (interrupted ones as failed)", () => {
    const s = createSession({ cwd: "/w" });
    s.messages.push(
      { role: "user", content: [{ type: "text", text: "hi" }] },
      {
        role: "assistant",
        content: [
          { type: "thinking", text: "hmm" },
          { type: "tool_call", id: "t1", name: "read", arguments: '{"path":"a"}' },
          { type: "tool_call", id: "t2", name: "bash", arguments: '{"command":"ls"}' },
        ],
      },
      {
        role: "tool",
        content: [{ type: "tool_result", tool_call_id: "t1", content: "   1| x", is_error: false }],
      },
      { role: "assistant", content: [{ type: "text", text: "bye" }] },
    );
    const kinds = replayHistory(s).map((u) => u.sessionUpdate);
    expect(kinds).toEqual([
      "user_message_chunk",
      "agent_thought_chunk",
      "tool_call",
      "tool_call",
      "agent_message_chunk",
    ]);
    const calls = replayHistory(s).filter((u) => u.sessionUpdate === "tool_call");
    expect(calls[0]).toMatchObject({
      toolCallId: "t1",
      status: "completed",
      kind: "read",
      locations: [{ path: "/w/a" }],
    });
    expect(calls[1]).toMatchObject({ toolCallId: "t2", status: "failed", kind: "execute" });
  });
});

describe("permission answers and pending calls", () => {
  it("maps options, and treats cancelled or unknown options as a rejection", () => {
    expect(answerFor({ outcome: { outcome: "selected", optionId: "allow_once" } })).toBe("once");
    expect(answerFor({ outcome: { outcome: "selected", optionId: "allow_always" } })).toBe("always");
    expect(answerFor({ outcome: { outcome: "selected", optionId: "reject_once" } })).toBe("deny");
    expect(answerFor({ outcome: { outcome: "selected", optionId: "allow_everything_forever" } })).toBe(
      "deny",
    );
    expect(answerFor({ outcome: { outcome: "cancelled" } })).toBe("deny");
  });

  it("finds the tool call a permission prompt belongs to by tool and arguments", () => {
    const p = new PendingToolCalls();
    p.start("a", "write", { path: "x" });
    p.start("b", "write", { path: "y" });
    expect(p.find("write", { path: "y" })).toBe("b");
    p.end("b");
    expect(p.find("bash", {})).toBeUndefined();
  });
});

describe("editor inputs", () => {
  it("converts MCP servers from the editor, refusing transports it cannot use", () => {
    const res = mcpServersToConfig([
      { name: "s", command: "node", args: ["x.js"], env: [{ name: "TOKEN", value: "t" }] },
      {
        type: "http",
        name: "h",
        url: "http://127.0.0.1:1/mcp",
        headers: [{ name: "Authorization", value: "b" }],
      },
      { type: "sse", name: "old", url: "http://127.0.0.1:1/sse", headers: [] },
    ]);
    expect(res.servers).toEqual({
      s: { command: "node", args: ["x.js"], env: { TOKEN: "t" } },
      h: { url: "http://127.0.0.1:1/mcp", headers: { Authorization: "b" } },
    });
    expect(res.unsupported).toEqual(["old (sse transport is not supported; use stdio or http)"]);
  });

  it("turns prompt blocks into message parts", () => {
    expect(
      promptToParts([
        { type: "text", text: "look" },
        { type: "resource_link", uri: "file:///w/a%20b.ts", name: "a b.ts" },
        { type: "resource", resource: { uri: "file:///w/c.ts", text: "const c = 1;" } },
      ]),
    ).toEqual([
      { type: "text", text: "look" },
      { type: "text", text: "@/w/a b.ts" },
      { type: "text", text: '<file path="/w/c.ts">\nconst c = 1;\n</file>' },
    ]);
  });
});

describe("bash over editor terminals", () => {
  function fakeTerminal(exit: Promise<{ exitCode: number | null; signal: string | null }>) {
    const calls: string[] = [];
    const handle = {
      id: "t1",
      async currentOutput() {
        calls.push("output");
        return { output: "partial\n", truncated: false };
      },
      waitForExit: () => exit,
      async kill() {
        calls.push("kill");
        return {};
      },
      async release() {
        calls.push("release");
        return {};
      },
    } as unknown as TerminalHandle;
    return { handle, calls };
  }

  const ctx = (signal: AbortSignal): ToolContext => ({
    cwd: "/w",
    workspaceRoot: "/w",
    signal,
    sessionId: "s",
    callId: "c",
    emit: () => {},
  });

  it("kills and releases the terminal on cancel", async () => {
    const { handle, calls } = fakeTerminal(new Promise(() => {}));
    const tool = createTerminalBashTool({ create: async () => handle });
    const controller = new AbortController();
    const running = tool.execute({ command: "sleep 100" }, ctx(controller.signal));
    controller.abort();
    const res = await running;
    expect(res.isError).toBe(true);
    expect(res.output).toContain("cancelled");
    expect(calls).toEqual(["kill", "output", "release"]);
  });

  it("kills on timeout and reports a non-zero exit as an error", async () => {
    const slow = fakeTerminal(new Promise(() => {}));
    const timedOut = await createTerminalBashTool({ create: async () => slow.handle }).execute(
      { command: "sleep 100", timeout: 0.05 },
      ctx(new AbortController().signal),
    );
    expect(timedOut.output).toContain("timeout");
    expect(slow.calls).toContain("kill");
    const failing = fakeTerminal(Promise.resolve({ exitCode: 3, signal: null }));
    const res = await createTerminalBashTool({ create: async () => failing.handle }).execute(
      { command: "exit 3" },
      ctx(new AbortController().signal),
    );
    expect(res.isError).toBe(true);
    expect(res.output).toContain("[exit code 3]");
    expect(failing.calls).toEqual(["output", "release"]);
  });
});
