import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ToolRegistry } from "@codetether/core";
import { createOpenAICompatibleProvider } from "@codetether/providers";
import { type RecordedRequest, startScriptedOpenAI } from "@codetether/testing";
import { writeTool } from "@codetether/tools";
import { afterEach, describe, expect, it } from "vitest";
import { runSwarm, type SwarmEvent } from "../src/index.js";

type WireMessage = { role: string; content?: string | Array<{ type: string; text?: string }> | null };

const textOf = (m: WireMessage | undefined) =>
  typeof m?.content === "string" ? m.content : (m?.content ?? []).map((p) => p.text ?? "").join("");

const PLAN = {
  subtasks: [
    { name: "api", instruction: "write api", specialty: "backend" },
    { name: "ui", instruction: "write ui", specialty: "frontend" },
    { name: "wire", instruction: "wire api and ui", dependencies: ["api", "ui"] },
    { name: "docs", instruction: "document", dependencies: ["wire"] },
    { name: "tests", instruction: "test it", dependencies: ["wire"] },
  ],
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("swarm over the OpenAI wire format", () => {
  it("runs 5 sub-agents through a real provider and SDK, honouring a 429, with worktrees", async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "ct-swarm-http-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "init");
    let rateLimited = false;
    const answer = (request: RecordedRequest) => {
      const body = request.body as { messages: WireMessage[] };
      const system = textOf(body.messages[0]);
      const firstUser = textOf(body.messages.find((m) => m.role === "user"));
      if (firstUser.includes("orchestrator of a swarm"))
        return { text: `\`\`\`json\n${JSON.stringify(PLAN)}\n\`\`\`` };
      if (firstUser.includes("Sub-agents worked on parts")) return { text: "All five parts are done." };
      const name = /Your subtask: "([^"]+)"/.exec(system)?.[1] ?? "unknown";
      if (!rateLimited) {
        rateLimited = true;
        return { type: "error" as const, status: 429, headers: { "retry-after": "0.2" } };
      }
      if (body.messages.at(-1)?.role === "user")
        return { toolCalls: [{ name: "write", arguments: { path: `${name}.md`, content: `# ${name}\n` } }] };
      return { text: `${name} finished` };
    };
    const server = await startScriptedOpenAI(Array.from({ length: 40 }, () => answer));
    close = () => server.close();
    const provider = createOpenAICompatibleProvider({
      id: "scripted",
      baseURL: server.url,
      apiKey: "sk-test",
    });
    const events: SwarmEvent[] = [];
    const result = await runSwarm(
      {
        task: "ship the feature",
        provider,
        model: "scripted-model",
        tools: new ToolRegistry().register(writeTool),
        cwd: repo,
        worktrees: true,
        maxSubagents: 3,
        maxSubtasks: 5,
      },
      (e) => events.push(e),
    );
    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
    expect(result.subtasks.map((s) => `${s.id}:${s.stage}:${s.status}`)).toEqual([
      "api:0:completed",
      "ui:0:completed",
      "wire:1:completed",
      "docs:2:completed",
      "tests:2:completed",
    ]);
    const stageStarts = events.flatMap((e) => (e.type === "stage-start" ? [e.stage] : []));
    expect(stageStarts).toEqual([0, 1, 2]);
    for (const name of ["api", "ui", "wire", "docs", "tests"])
      expect(fs.readFileSync(path.join(repo, `${name}.md`), "utf8")).toBe(`# ${name}\n`);
    expect(git("worktree", "list").trim().split("\n")).toHaveLength(1);
    expect(git("branch", "--list", "codetether/*").trim()).toBe("");
    expect(result.stats.rateLimit.rateLimited).toBe(1);
    expect(result.answer).toBe("All five parts are done.");
    expect(result.stats.usage.promptTokens).toBeGreaterThan(0);
    // Sub-agents received the tool definitions over the wire: write and swarm_share.
    const subagentRequest = server.requests.find((r) => JSON.stringify(r.body).includes("Your subtask"))!;
    const tools = (subagentRequest.body as { tools: Array<{ function: { name: string } }> }).tools.map(
      (t) => t.function.name,
    );
    expect(tools).toEqual(["write", "swarm_share"]);
  });
});
