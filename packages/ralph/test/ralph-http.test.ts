import { execFileSync } from "node:child_process";
import path from "node:path";
import { ToolRegistry } from "@codetether/core";
import { createOpenAICompatibleProvider } from "@codetether/providers";
import { type RecordedRequest, startScriptedOpenAI } from "@codetether/testing";
import { writeTool } from "@codetether/tools";
import { describe, expect, it } from "vitest";
import { loadPrd, runRalph } from "../src/index.js";
import { IMPL, tempProject } from "./story-fixtures.js";

type WireMessage = { role: string; content?: string | Array<{ text?: string }> | null };
const textOf = (m: WireMessage | undefined) =>
  typeof m?.content === "string" ? m.content : (m?.content ?? []).map((p) => p.text ?? "").join("");

describe("ralph over the OpenAI wire format", () => {
  it("completes a 3-story PRD through the real provider and SDK with one commit per story", async () => {
    const { dir, prdPath } = tempProject([
      { id: "US-1", title: "Sum" },
      { id: "US-2", title: "Product", depends_on: ["US-1"] },
      { id: "US-3", title: "Mean", depends_on: ["US-2"] },
    ]);
    const answer = (request: RecordedRequest) => {
      const messages = (request.body as { messages: WireMessage[] }).messages;
      const id = /## Current story: (\S+)/.exec(textOf(messages[1]))![1]!;
      const impl = IMPL[id]!;
      if (messages.at(-1)?.role === "user")
        return {
          toolCalls: [
            { name: "write", arguments: { path: impl.file, content: impl.code } },
            {
              name: "write",
              arguments: { path: `test/${path.basename(impl.file, ".js")}.test.js`, content: impl.test },
            },
          ],
        };
      return { text: `STORY_COMPLETE: ${id}` };
    };
    const server = await startScriptedOpenAI(Array.from({ length: 6 }, () => answer));
    try {
      const provider = createOpenAICompatibleProvider({
        id: "scripted",
        baseURL: server.url,
        apiKey: "sk-test",
      });
      const result = await runRalph({
        prdPath,
        provider,
        model: "scripted-model",
        tools: new ToolRegistry().register(writeTool),
      });
      expect(result.status).toBe("completed");
      expect((await loadPrd(prdPath)).user_stories.every((s) => s.passes)).toBe(true);
      expect(
        execFileSync("git", ["log", "--format=%s"], { cwd: dir, encoding: "utf8" }).trim().split("\n"),
      ).toEqual(["feat(us-3): Mean", "feat(us-2): Product", "feat(us-1): Sum", "init"]);
      expect(server.remaining()).toBe(0);
    } finally {
      await server.close();
    }
  });
});
