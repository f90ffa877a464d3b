import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import type { SessionNotification } from "@agentclientprotocol/sdk";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { initialize, startAcp, useAcpCleanup } from "./acp-client.js";
import { BIN, makeSandbox } from "./helpers.js";

const MCP_FIXTURE = path.resolve(
  import.meta.dirname,
  "../../../packages/tools/test/fixtures/mcp/stdio-server.mjs",
);

let server: ScriptedOpenAI | undefined;
const { harnesses, track } = useAcpCleanup();

async function setup(turns: Parameters<typeof startScriptedOpenAI>[0]) {
  server = track(await startScriptedOpenAI(turns));
  const box = await makeSandbox();
  return { ...box, env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url } };
}

function launch(options: Parameters<typeof startAcp>[0]) {
  const h = startAcp(options);
  harnesses.push(h);
  return h;
}

const kind = (u: SessionNotification) => u.update.sessionUpdate;

/** The JSON body of the model request at `index` (fails the test when it was never made). */
function requestBody<T>(index: number): T {
  const request = server?.requests[index];
  if (!request) throw new Error(`no model request #${index}`);
  return request.body as T;
}

function toolResults(s: ScriptedOpenAI, index: number): string {
  const body = s.requests[index]?.body as { messages: Array<{ role: string; content: unknown }> };
  return body.messages
    .filter((m) => m.role === "tool")
    .map((m) => String(m.content))
    .join("\n");
}

/** Sends raw lines to `codetether acp` and collects the JSON-RPC answers by id. */
async function rawSession(lines: string[], env: Record<string, string>, cwd: string) {
  const child = spawn(process.execPath, [BIN, "acp", "--model", "openai/gpt-4o"], { cwd, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  for (const line of lines) child.stdin.write(`${line}\n`);
  // Answers can come in any order; wait for the last request's answer before closing stdin.
  while (!stdout.includes('"id":99')) await new Promise((r) => setTimeout(r, 20));
  child.stdin.end();
  const code = await closed;
  const messages = stdout
    .trim()
    .split("\n")
    .map(
      (l) => JSON.parse(l) as { id?: unknown; result?: unknown; error?: { code: number; message: string } },
    );
  return { code, messages, stderr, byId: (id: unknown) => messages.find((m) => m.id === id) };
}

describe("codetether acp: protocol robustness", () => {
  it("answers garbage, unknown methods and invalid params with JSON-RPC errors and keeps serving", async () => {
    const { work, env } = await setup([]);
    const res = await rawSession(
      [
        "this is not json",
        "[1, 2",
        '"just a string"',
        JSON.stringify({ jsonrpc: "2.0", id: 1, method: "no/such/method", params: {} }),
        JSON.stringify({ jsonrpc: "2.0", id: 2, method: "initialize", params: { protocolVersion: "one" } }),
        JSON.stringify({ jsonrpc: "2.0", id: 3, method: "session/new", params: { cwd: 42 } }),
        JSON.stringify({
          jsonrpc: "2.0",
          id: 4,
          method: "session/new",
          params: { cwd: "relative/dir", mcpServers: [] },
        }),
        JSON.stringify({
          jsonrpc: "2.0",
          id: 5,
          method: "session/prompt",
          params: { sessionId: "nope", prompt: [{ type: "text", text: "hi" }] },
        }),
        JSON.stringify({ jsonrpc: "2.0", id: 99, method: "initialize", params: { protocolVersion: 1 } }),
      ],
      env,
      work,
    );
    // Every line of stdout is a JSON-RPC message (nothing else is printed there).
    expect(res.messages.every((m) => (m as { jsonrpc?: string }).jsonrpc === "2.0")).toBe(true);
    const parseErrors = res.messages.filter((m) => m.error?.code === -32700);
    expect(parseErrors.length).toBe(2);
    expect(res.messages.some((m) => m.error?.code === -32600)).toBe(true);
    expect(res.byId(1)?.error?.code).toBe(-32601);
    expect(res.byId(2)?.error?.code).toBe(-32602);
    expect(res.byId(3)?.error?.code).toBe(-32602);
    expect(res.byId(4)?.error).toMatchObject({ code: -32602 });
    expect(res.byId(4)?.error?.message).toContain("cwd must be an absolute path");
    expect(res.byId(5)?.error?.message).toContain('Unknown session "nope"');
    expect(res.byId(99)?.result).toMatchObject({ protocolVersion: 1 });
    expect(res.code).toBe(0);
  });

  it("plan mode via session/set_mode refuses file changes; unknown modes are rejected", async () => {
    const { work, env } = await setup([
      { toolCalls: [{ name: "write", arguments: { path: "plan.txt", content: "x" } }] },
      { text: "I will only plan." },
    ]);
    const h = launch({ cwd: work, env });
    await initialize(h, { fs: true });
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    await h.connection.setSessionMode({ sessionId, modeId: "plan" });
    await h.waitFor((u) => kind(u) === "current_mode_update");
    await expect(h.connection.setSessionMode({ sessionId, modeId: "yolo" })).rejects.toMatchObject({
      code: -32602,
    });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "change things" }] });
    expect(res.stopReason).toBe("end_turn");
    expect(h.writes).toEqual([]);
    await expect(fs.access(path.join(work, "plan.txt"))).rejects.toThrow();
    expect(toolResults(server!, 1)).toContain("not available in plan mode");
  });

  it("runs bash through the editor's terminal when advertised", async () => {
    const { work, env } = await setup([
      { toolCalls: [{ id: "call_t", name: "bash", arguments: { command: "echo hi from terminal" } }] },
      { text: "ran it" },
    ]);
    const h = launch({ cwd: work, env });
    await initialize(h, { terminal: true });
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "say hi" }] });
    expect(res.stopReason).toBe("end_turn");
    expect(h.terminals).toHaveLength(1);
    expect(h.terminals[0]?.env).toContainEqual({ name: "PAGER", value: "cat" });
    expect(h.terminals[0]).toMatchObject({
      sessionId,
      command: "bash",
      args: ["-c", "echo hi from terminal"],
      cwd: work,
    });
    const done = h.updates.find(
      (u) => kind(u) === "tool_call_update" && (u.update as { status?: string }).status === "completed",
    );
    expect(done?.update).toMatchObject({
      toolCallId: "call_t",
      content: [{ type: "terminal", terminalId: "term-1" }],
    });
    expect(h.updates.find((u) => kind(u) === "tool_call")?.update).toMatchObject({ kind: "execute" });
    expect(toolResults(server!, 1)).toContain("hi from terminal");
  });

  it("switches the model through the model config option", async () => {
    const { work, env } = await setup([{ text: "first" }, { text: "second" }]);
    const h = launch({ cwd: work, env });
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "one" }] });
    const changed = await h.connection.setSessionConfigOption({
      sessionId,
      configId: "model",
      value: "openai/gpt-4o-mini",
    });
    expect(changed.configOptions.find((o) => o.id === "model")).toMatchObject({
      currentValue: "openai/gpt-4o-mini",
    });
    await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "two" }] });
    expect(requestBody<{ model: string }>(0).model).toBe("gpt-4o");
    expect(requestBody<{ model: string }>(1).model).toBe("gpt-4o-mini");
    // History is kept across the switch.
    expect(JSON.stringify(server!.requests[1]?.body)).toContain("first");
    await expect(
      h.connection.setSessionConfigOption({ sessionId, configId: "model", value: "nosuchprovider/x" }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      h.connection.setSessionConfigOption({ sessionId, configId: "color", value: "red" }),
    ).rejects.toMatchObject({ code: -32602 });
  });

  it("streams thoughts and turns todowrite into plan updates", async () => {
    const { work, env } = await setup([
      {
        reasoning: "pondering the steps",
        toolCalls: [
          {
            name: "todowrite",
            arguments: {
              todos: [
                { id: "1", content: "read code", status: "completed", priority: "high" },
                { id: "2", content: "fix bug", status: "in_progress" },
                { id: "3", content: "old idea", status: "cancelled" },
              ],
            },
          },
        ],
      },
      { text: "planned" },
    ]);
    const h = launch({ cwd: work, env });
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "plan it" }] });
    const thoughts = h.updates
      .filter((u) => kind(u) === "agent_thought_chunk")
      .map((u) => (u.update as { content: { text: string } }).content.text)
      .join("");
    expect(thoughts).toBe("pondering the steps");
    expect(h.updates.find((u) => kind(u) === "plan")?.update).toEqual({
      sessionUpdate: "plan",
      entries: [
        { content: "read code", status: "completed", priority: "high" },
        { content: "fix bug", status: "in_progress", priority: "medium" },
      ],
    });
  });

  it("connects MCP servers passed by the editor in session/new", async () => {
    const { work, env } = await setup([
      { toolCalls: [{ name: "calc_add", arguments: { a: 2, b: 40 } }] },
      { text: "42" },
    ]);
    const h = launch({ cwd: work, env });
    await initialize(h);
    const { sessionId } = await h.connection.newSession({
      cwd: work,
      mcpServers: [{ name: "calc", command: process.execPath, args: [MCP_FIXTURE], env: [] }],
    });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "add" }] });
    expect(res.stopReason).toBe("end_turn");
    const tools = requestBody<{ tools: Array<{ function: { name: string } }> }>(0).tools;
    expect(tools.map((t) => t.function.name)).toContain("calc_add");
    expect(toolResults(server!, 1)).toContain("42");
  });

  it("keeps editor file access inside the workspace: traversal and absolute paths never reach fs/*", async () => {
    const { dir, work, env } = await setup([
      {
        toolCalls: [
          { name: "write", arguments: { path: "../escaped.txt", content: "pwned" } },
          { name: "read", arguments: { path: "/etc/passwd" } },
          { name: "edit", arguments: { path: "sub/../../escaped2.txt", oldString: "", newString: "x" } },
        ],
      },
      { text: "refused" },
    ]);
    const h = launch({ cwd: work, env });
    await initialize(h, { fs: true });
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "escape" }] });
    expect(res.stopReason).toBe("end_turn");
    expect(h.reads).toEqual([]);
    expect(h.writes).toEqual([]);
    await expect(fs.access(path.join(dir, "escaped.txt"))).rejects.toThrow();
    const results = toolResults(server!, 1);
    expect(results.match(/outside the workspace/g)).toHaveLength(3);
  });

  it("explains a missing provider configuration in the session/new error", async () => {
    const { work, env } = await setup([]);
    const { OPENAI_API_KEY: _k, OPENAI_BASE_URL: _u, ...noKeys } = env;
    const h = launch({ cwd: work, env: noKeys, model: "nosuch/model" });
    await initialize(h);
    await expect(h.connection.newSession({ cwd: work, mcpServers: [] })).rejects.toMatchObject({
      message: expect.stringContaining("nosuch"),
    });
    // The process keeps serving after the failure.
    expect((await initialize(h)).protocolVersion).toBe(1);
  });
});
