import { randomUUID } from "node:crypto";
import type { Provider, StreamChunk } from "@codetether/core";
import { sleep } from "@codetether/core";
import { describe, expect, it } from "vitest";
import { runServeCommand } from "../src/index.js";
import { auth, start, TOKEN } from "./helpers.js";

/** A model that starts answering, then hangs until aborted. */
const slowProvider: Provider = {
  id: "slow",
  async listModels() {
    return [];
  },
  async *stream(_request, signal): AsyncIterable<StreamChunk> {
    yield { type: "text-delta", text: "thinking..." };
    await sleep(60_000, signal);
  },
};

async function readToEnd(res: Response): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
  return text;
}

describe("graceful shutdown", () => {
  it("closes SSE clients cleanly and persists the in-flight task as interrupted", async () => {
    const server = await start({ provider: slowProvider });
    const headers = { ...auth, "content-type": "application/json", "a2a-version": "1.0" };
    const sent = await fetch(`${server.url}/a2a`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "SendMessage",
        params: {
          message: { messageId: randomUUID(), role: "ROLE_USER", parts: [{ text: "long job" }] },
          configuration: { returnImmediately: true },
        },
      }),
    });
    const taskId = ((await sent.json()) as { result: { task: { id: string } } }).result.task.id;
    const subscription = await fetch(`${server.url}/a2a`, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "SubscribeToTask", params: { id: taskId } }),
    });
    const cognitionStream = await fetch(`${server.url}/v1/cognition/stream`, { headers: auth });
    const subscriptionText = readToEnd(subscription);
    const cognitionText = readToEnd(cognitionStream);

    await server.close();
    // Both streams end (no hang, no network error).
    expect(await subscriptionText).toContain(taskId);
    expect(await cognitionText).toContain(": connected");

    const restarted = await start({ dataDir: server.dataDir });
    try {
      const res = await fetch(`${restarted.url}/a2a`, {
        method: "POST",
        headers,
        body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "GetTask", params: { id: taskId } }),
      });
      const task = (
        (await res.json()) as { result: { status: { state: string }; metadata: Record<string, unknown> } }
      ).result;
      expect(task.status.state).toBe("TASK_STATE_FAILED");
      expect(task.metadata["codetether.interrupted"]).toBe(true);
    } finally {
      await restarted.close();
    }
  });

  it("runServeCommand prints the URLs and token source, stops on abort", async () => {
    const out: string[] = [];
    const controller = new AbortController();
    const { echoProvider } = await import("./helpers.js");
    const running = runServeCommand(
      {
        port: 0,
        token: TOKEN,
        provider: echoProvider(),
        model: "m",
        dataDir: `/tmp/serve-cmd-${randomUUID()}`,
        signal: controller.signal,
      },
      { stdout: { write: (c: string) => out.push(c) }, stderr: { write: (c: string) => out.push(c) } },
    );
    for (let i = 0; i < 100 && !out.join("").includes("listening"); i++) await sleep(20);
    const url = /listening on (\S+)/.exec(out.join(""))![1]!;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(out.join("")).not.toContain(TOKEN);
    controller.abort();
    expect(await running).toBe(0);
    expect(out.join("")).toContain("Stopped.");
    const bad = await runServeCommand(
      { port: 70000, provider: echoProvider(), model: "m" },
      { stdout: { write: () => 0 }, stderr: { write: (c: string) => out.push(c) } },
    );
    expect(bad).toBe(2);
  });
});
