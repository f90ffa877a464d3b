import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import {
  type Client,
  ClientSideConnection,
  ndJsonStream,
  type RequestPermissionRequest,
  type SessionNotification,
} from "@agentclientprotocol/sdk";
import { type ChatRequest, type Provider, SessionStore, type StreamChunk } from "@codetether/core";
import { afterEach, describe, expect, it } from "vitest";
import { runAcpServer } from "../src/index.js";

/** A provider answering from a script: each entry yields the chunks of one model call. */
function scriptedProvider(
  script: Array<(req: ChatRequest, signal?: AbortSignal) => AsyncIterable<StreamChunk>>,
) {
  const requests: ChatRequest[] = [];
  const provider: Provider = {
    id: "fake",
    async listModels() {
      return [];
    },
    stream(request, signal) {
      requests.push(request);
      const next = script.shift();
      if (!next) throw new Error("script exhausted");
      return next(request, signal);
    },
  };
  return { provider, requests };
}

async function* toolCall(id: string, name: string, args: unknown): AsyncIterable<StreamChunk> {
  yield { type: "tool-call-start", id, name };
  yield { type: "tool-call-delta", id, argumentsDelta: JSON.stringify(args) };
  yield { type: "tool-call-end", id };
  yield {
    type: "usage",
    usage: { promptTokens: 10, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
  };
  yield { type: "finish", reason: "tool_calls" };
}

async function* text(t: string): AsyncIterable<StreamChunk> {
  yield { type: "text-delta", text: t };
  yield {
    type: "usage",
    usage: { promptTokens: 10, completionTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
  };
  yield { type: "finish", reason: "stop" };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function connect(
  provider: Provider,
  answer: (req: RequestPermissionRequest) => Promise<string | "cancelled">,
) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-acp-"));
  const toAgent = new PassThrough();
  const toClient = new PassThrough();
  const store = new SessionStore(path.join(dir, "sessions"));
  const served = runAcpServer(
    {
      store,
      rules: [{ tool: "write", action: "ask" }],
      resolveModel: async () => ({ provider, model: "m1" }),
    },
    { input: toAgent, output: toClient },
  );
  const updates: SessionNotification[] = [];
  const client: Client = {
    async requestPermission(params) {
      const choice = await answer(params);
      return choice === "cancelled"
        ? { outcome: { outcome: "cancelled" } }
        : { outcome: { outcome: "selected", optionId: choice } };
    },
    async sessionUpdate(params) {
      updates.push(params);
    },
  };
  const connection = new ClientSideConnection(
    () => client,
    ndJsonStream(
      Writable.toWeb(toAgent) as WritableStream<Uint8Array>,
      Readable.toWeb(toClient) as unknown as ReadableStream<Uint8Array>,
    ),
  );
  cleanups.push(async () => {
    toAgent.end();
    await served;
    await fs.rm(dir, { recursive: true, force: true });
  });
  await connection.initialize({ protocolVersion: 1, clientCapabilities: {} });
  const work = path.join(dir, "work");
  await fs.mkdir(work);
  return { connection, updates, work, served, toAgent };
}

describe("runAcpServer (in-process, scripted provider)", () => {
  it("a cancel while the editor is still asking for permission rejects the call and ends the turn cancelled", async () => {
    const { provider, requests } = scriptedProvider([
      () => toolCall("c1", "write", { path: "x.txt", content: "nope" }),
      () => text("unreachable"),
    ]);
    let asked!: () => void;
    const askedP = new Promise<void>((r) => {
      asked = r;
    });
    // The "user" never answers until the turn is cancelled; then the client answers cancelled, as the spec says.
    let release!: (v: "cancelled") => void;
    const { connection, work } = await connect(provider, () => {
      asked();
      return new Promise((r) => {
        release = r;
      });
    });
    const { sessionId } = await connection.newSession({ cwd: work, mcpServers: [] });
    const turn = connection.prompt({ sessionId, prompt: [{ type: "text", text: "write" }] });
    await askedP;
    await connection.cancel({ sessionId });
    expect((await turn).stopReason).toBe("cancelled");
    release("cancelled");
    expect(requests).toHaveLength(1);
    await expect(fs.access(path.join(work, "x.txt"))).rejects.toThrow();
  });

  it("reports a provider failure as a JSON-RPC error and an error message chunk, then keeps serving", async () => {
    const { provider } = scriptedProvider([
      // biome-ignore lint/correctness/useYield: fails before yielding
      async function* () {
        throw new Error("model exploded");
      },
      () => text("fine again"),
    ]);
    const { connection, updates, work } = await connect(provider, async () => "reject_once");
    const { sessionId } = await connection.newSession({ cwd: work, mcpServers: [] });
    await expect(
      connection.prompt({ sessionId, prompt: [{ type: "text", text: "go" }] }),
    ).rejects.toMatchObject({
      code: -32603,
      message: expect.stringContaining("model exploded"),
    });
    expect(
      updates.some(
        (u) =>
          u.update.sessionUpdate === "agent_message_chunk" &&
          u.update.content.type === "text" &&
          u.update.content.text.includes("model exploded"),
      ),
    ).toBe(true);
    const ok = await connection.prompt({ sessionId, prompt: [{ type: "text", text: "again" }] });
    expect(ok.stopReason).toBe("end_turn");
  });

  it("refuses a second prompt while one is running, and resolves when the input ends", async () => {
    let finish!: () => void;
    const gate = new Promise<void>((r) => {
      finish = r;
    });
    const { provider } = scriptedProvider([
      async function* () {
        await gate;
        yield* text("done");
      },
    ]);
    const { connection, work, served, toAgent } = await connect(provider, async () => "reject_once");
    const { sessionId } = await connection.newSession({ cwd: work, mcpServers: [] });
    const first = connection.prompt({ sessionId, prompt: [{ type: "text", text: "1" }] });
    await expect(
      connection.prompt({ sessionId, prompt: [{ type: "text", text: "2" }] }),
    ).rejects.toMatchObject({
      message: expect.stringContaining("already running"),
    });
    finish();
    expect((await first).stopReason).toBe("end_turn");
    toAgent.end();
    await expect(served).resolves.toBeUndefined();
  });
});
