import fs from "node:fs/promises";
import path from "node:path";
import type { SessionNotification } from "@agentclientprotocol/sdk";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { type AcpHarness, initialize, startAcp, useAcpCleanup } from "./acp-client.js";
import { makeSandbox } from "./helpers.js";

let server: ScriptedOpenAI | undefined;
const { harnesses, track } = useAcpCleanup();

async function setup(turns: Parameters<typeof startScriptedOpenAI>[0], configToml?: string) {
  server = track(await startScriptedOpenAI(turns));
  const box = await makeSandbox();
  if (configToml) {
    await fs.mkdir(path.join(box.dir, "config", "codetether"), { recursive: true });
    await fs.writeFile(path.join(box.dir, "config", "codetether", "config.toml"), configToml);
  }
  const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
  return { ...box, env };
}

function launch(options: Parameters<typeof startAcp>[0]) {
  const h = startAcp(options);
  harnesses.push(h);
  return h;
}

const kind = (u: SessionNotification) => u.update.sessionUpdate;
const texts = (h: AcpHarness, type: string) =>
  h.updates
    .filter((u) => kind(u) === type)
    .map((u) => (u.update as { content: { text?: string } }).content.text)
    .join("");

/** Tool results the agent sent back to the model in the request after the tool ran. */
function toolResults(s: ScriptedOpenAI, index: number): string[] {
  const body = s.requests[index]?.body as { messages: Array<{ role: string; content: unknown }> };
  return body.messages.filter((m) => m.role === "tool").map((m) => String(m.content));
}

describe("codetether acp (built binary) driven by an ACP client", () => {
  it("initializes, creates a session, and edits a file through fs/write_text_file with streamed updates", async () => {
    const { work, env } = await setup([
      {
        toolCalls: [
          { id: "call_w", name: "write", arguments: { path: "hello.txt", content: "hi editor\n" } },
        ],
      },
      { text: "I wrote hello.txt for you." },
    ]);
    await fs.writeFile(path.join(work, "hello.txt"), "old text\n");
    const h = launch({ cwd: work, env });
    const init = await initialize(h, { fs: true });
    expect(init.protocolVersion).toBe(1);
    expect(init.agentCapabilities?.loadSession).toBe(true);
    expect(init.agentInfo?.name).toBe("codetether");

    const created = await h.connection.newSession({ cwd: work, mcpServers: [] });
    expect(created.sessionId).toMatch(/\S/);
    expect(created.modes?.currentModeId).toBe("build");
    expect(created.modes?.availableModes.map((m) => m.id)).toEqual(["build", "plan"]);
    const modelOption = created.configOptions?.find((o) => o.id === "model");
    expect(modelOption).toMatchObject({ category: "model", currentValue: "openai/gpt-4o" });

    const res = await h.connection.prompt({
      sessionId: created.sessionId,
      prompt: [{ type: "text", text: "write hello.txt" }],
    });
    expect(res.stopReason).toBe("end_turn");
    expect(res.usage?.totalTokens).toBeGreaterThan(0);

    const abs = path.join(work, "hello.txt");
    // The write went through the editor (which saved the buffer), with the old content read first.
    expect(h.writes).toEqual([{ path: abs, content: "hi editor\n" }]);
    expect(h.reads).toContain(abs);
    expect(await fs.readFile(abs, "utf8")).toBe("hi editor\n");

    const call = h.updates.find((u) => kind(u) === "tool_call")?.update;
    expect(call).toMatchObject({
      toolCallId: "call_w",
      kind: "edit",
      status: "pending",
      title: "Write hello.txt",
      locations: [{ path: abs }],
    });
    const statuses = h.updates
      .filter((u) => kind(u) === "tool_call_update")
      .map((u) => (u.update as { status?: string }).status)
      .filter(Boolean);
    expect(statuses).toEqual(["in_progress", "completed"]);
    const done = h.updates.find(
      (u) => kind(u) === "tool_call_update" && (u.update as { status?: string }).status === "completed",
    )?.update as { content: unknown[] };
    expect(done.content).toEqual([
      { type: "diff", path: abs, oldText: "old text\n", newText: "hi editor\n" },
    ]);
    expect(texts(h, "agent_message_chunk")).toBe("I wrote hello.txt for you.");
    expect(h.updates.some((u) => kind(u) === "usage_update")).toBe(true);
    expect(h.updates.every((u) => u.sessionId === created.sessionId)).toBe(true);
    expect(h.updates.find((u) => kind(u) === "session_info_update")?.update).toMatchObject({
      title: expect.stringContaining("hello.txt"),
    });
    expect(await h.close()).toBe(0);
  });

  it("turns an ask rule into session/request_permission; a rejection leaves the file untouched", async () => {
    const { work, env } = await setup(
      [
        {
          toolCalls: [
            { id: "call_x", name: "write", arguments: { path: "keep.txt", content: "overwritten" } },
          ],
        },
        { text: "Understood, I left it alone." },
      ],
      '[[permissions.rules]]\ntool = "write"\naction = "ask"\n',
    );
    const file = path.join(work, "keep.txt");
    await fs.writeFile(file, "precious\n");
    const h = launch({ cwd: work, env, permission: "reject_once" });
    await initialize(h, { fs: true });
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    const res = await h.connection.prompt({
      sessionId,
      prompt: [{ type: "text", text: "overwrite keep.txt" }],
    });
    expect(res.stopReason).toBe("end_turn");

    expect(h.permissionRequests).toHaveLength(1);
    const req = h.permissionRequests[0]!;
    expect(req.sessionId).toBe(sessionId);
    expect(req.toolCall).toMatchObject({ toolCallId: "call_x", kind: "edit", locations: [{ path: file }] });
    expect(req.options.map((o) => o.kind)).toEqual(["allow_once", "allow_always", "reject_once"]);
    expect(h.writes).toEqual([]);
    expect(await fs.readFile(file, "utf8")).toBe("precious\n");
    const failed = h.updates.find(
      (u) => kind(u) === "tool_call_update" && (u.update as { status?: string }).status === "failed",
    );
    expect(failed?.update).toMatchObject({ toolCallId: "call_x" });
    expect(toolResults(server!, 1).join("\n")).toContain('The user denied "write"');
  });

  it("allow always: approves this and later calls of the tool without asking again", async () => {
    const { work, env } = await setup(
      [
        { toolCalls: [{ name: "write", arguments: { path: "a.txt", content: "A" } }] },
        { toolCalls: [{ name: "write", arguments: { path: "b.txt", content: "B" } }] },
        { text: "Both written." },
      ],
      '[[permissions.rules]]\ntool = "write"\naction = "ask"\n',
    );
    const h = launch({ cwd: work, env, permission: "allow_always" });
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "write both" }] });
    expect(res.stopReason).toBe("end_turn");
    expect(h.permissionRequests).toHaveLength(1);
    // No fs capability advertised: the local write tool ran, and the editor still gets a diff.
    expect(h.writes).toEqual([]);
    const diffs = h.updates.flatMap((u) =>
      kind(u) === "tool_call_update" ? ((u.update as { content?: unknown[] }).content ?? []) : [],
    );
    expect(diffs).toContainEqual({
      type: "diff",
      path: path.join(work, "a.txt"),
      oldText: null,
      newText: "A",
    });
    expect(await fs.readFile(path.join(work, "a.txt"), "utf8")).toBe("A");
    expect(await fs.readFile(path.join(work, "b.txt"), "utf8")).toBe("B");
  });

  it("session/cancel aborts the running tool and ends the turn with stopReason cancelled", async () => {
    const { work, env } = await setup([
      {
        toolCalls: [
          { id: "call_s", name: "bash", arguments: { command: "sleep 30 && echo late > marker.txt" } },
        ],
      },
      { text: "should not be asked" },
    ]);
    const h = launch({ cwd: work, env });
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    const turn = h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "run the slow thing" }] });
    await h.waitFor(
      (u) => kind(u) === "tool_call_update" && (u.update as { status?: string }).status === "in_progress",
    );
    const started = Date.now();
    await h.connection.cancel({ sessionId });
    const res = await turn;
    expect(res.stopReason).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(server!.requests).toHaveLength(1);
    await expect(fs.access(path.join(work, "marker.txt"))).rejects.toThrow();
    // The session stays usable after a cancel.
    const again = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "hello?" }] });
    expect(again.stopReason).toBe("end_turn");
  });

  it("session/cancel while the model is still answering", async () => {
    const { work, env } = await setup([{ type: "hang" }]);
    const h = launch({ cwd: work, env });
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: work, mcpServers: [] });
    const turn = h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "think forever" }] });
    while (server!.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
    await h.connection.cancel({ sessionId });
    expect((await turn).stopReason).toBe("cancelled");
  });

  it("session/load replays the saved history as updates in a new process", async () => {
    const { work, env } = await setup([
      { toolCalls: [{ id: "call_r", name: "write", arguments: { path: "n.txt", content: "note" } }] },
      { text: "Saved the note." },
    ]);
    const first = launch({ cwd: work, env });
    await initialize(first);
    const { sessionId } = await first.connection.newSession({ cwd: work, mcpServers: [] });
    await first.connection.prompt({ sessionId, prompt: [{ type: "text", text: "save a note" }] });
    expect(await first.close()).toBe(0);

    const second = launch({ cwd: work, env });
    const init = await initialize(second);
    expect(init.agentCapabilities?.loadSession).toBe(true);
    const loaded = await second.connection.loadSession({ sessionId, cwd: work, mcpServers: [] });
    expect(loaded.modes?.currentModeId).toBe("build");
    const replay = second.updates.map((u) => u.update);
    expect(replay[0]).toEqual({
      sessionUpdate: "user_message_chunk",
      content: { type: "text", text: "save a note" },
    });
    expect(replay.find((u) => u.sessionUpdate === "tool_call")).toMatchObject({
      toolCallId: "call_r",
      status: "completed",
      kind: "edit",
      content: [{ type: "diff", path: path.join(work, "n.txt"), newText: "note" }],
    });
    expect(texts(second, "agent_message_chunk")).toBe("Saved the note.");

    await expect(
      second.connection.loadSession({ sessionId: "does-not-exist", cwd: work, mcpServers: [] }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      second.connection.loadSession({ sessionId: "../../etc/passwd", cwd: work, mcpServers: [] }),
    ).rejects.toMatchObject({ code: -32602 });
  });
});
