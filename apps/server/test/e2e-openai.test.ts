import fs from "node:fs/promises";
import path from "node:path";
import { sendA2AMessage } from "@codetether/a2a";
import { createOpenAICompatibleProvider } from "@codetether/providers";
import { startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { start, TOKEN } from "./helpers.js";

/** The scripted OpenAI server and the real OpenAI-compatible provider pointed at it. */
async function scriptedModel(turns: Parameters<typeof startScriptedOpenAI>[0]) {
  const model = await startScriptedOpenAI(turns);
  const provider = createOpenAICompatibleProvider({ id: "scripted", baseURL: model.url, apiKey: "sk-test" });
  return { model, provider };
}

describe("end to end: real OpenAI-compatible provider against the scripted OpenAI server, default tools", () => {
  it("an A2A task writes a file through the write tool and streams a file-change artifact", async () => {
    const { model, provider } = await scriptedModel([
      { toolCalls: [{ name: "write", arguments: { path: "hello.txt", content: "hi there\n" } }] },
      { text: "I wrote hello.txt." },
    ]);
    // Without a runtime the safe default refuses writes; this host lets A2A tasks write (its explicit choice).
    const server = await start({
      provider,
      model: "scripted-model",
      autoApprove: "all",
      cognition: { enabled: false },
    });
    try {
      const events = [];
      for await (const e of sendA2AMessage({
        url: server.url,
        token: TOKEN,
        message: "create hello.txt",
        stream: true,
      })) {
        events.push(e);
      }
      const fileChange = events.find((e) => e.type === "artifact" && e.name === "file-change");
      expect(fileChange?.type === "artifact" && fileChange.data[0]).toMatchObject({
        tool: "write",
        created: true,
      });
      const text = events.map((e) => (e.type === "artifact" && e.name === "response" ? e.text : "")).join("");
      expect(text).toBe("I wrote hello.txt.");
      expect(events[events.length - 1]).toMatchObject({ type: "status", state: "TASK_STATE_COMPLETED" });
      expect(await fs.readFile(path.join(server.dataDir, "hello.txt"), "utf8")).toBe("hi there\n");
      // The model saw the tools and the tool result.
      expect(JSON.stringify(model.requests[0])).toContain('"write"');
      expect(JSON.stringify(model.requests[1])).toContain("hello.txt");
    } finally {
      await server.close();
      await model.close();
    }
  });

  it("without a runtime or createTools, an A2A task cannot write or run commands (safe default, never allow-all)", async () => {
    const { model, provider } = await scriptedModel([
      { toolCalls: [{ name: "write", arguments: { path: "hello.txt", content: "hi there\n" } }] },
      { toolCalls: [{ name: "bash", arguments: { command: "touch ran.txt", description: "t" } }] },
      { text: "Could not." },
    ]);
    const server = await start({ provider, model: "scripted-model", cognition: { enabled: false } });
    try {
      for await (const _ of sendA2AMessage({
        url: server.url,
        token: TOKEN,
        message: "write",
        stream: true,
      })) {
        // drain
      }
      await expect(fs.access(path.join(server.dataDir, "hello.txt"))).rejects.toThrow();
      await expect(fs.access(path.join(server.dataDir, "ran.txt"))).rejects.toThrow();
      expect(JSON.stringify(model.requests[1])).toContain("needs approval");
    } finally {
      await server.close();
      await model.close();
    }
  });

  it("the cognition loop thinks through the same provider", async () => {
    const { model, provider } = await scriptedModel([
      { text: "The workspace is empty; first task: add a README." },
    ]);
    const server = await start({
      provider,
      model: "scripted-model",
      cognition: { loopIntervalMs: 3_600_000 },
    });
    try {
      await server.cognition!.start();
      await server.cognition!.tick();
      expect(server.cognition!.status().latest_thought).toBe(
        "The workspace is empty; first task: add a README.",
      );
      expect(JSON.stringify(model.requests[0])).toContain("Root Thinker");
    } finally {
      await server.close();
      await model.close();
    }
  });
});
