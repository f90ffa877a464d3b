import fs from "node:fs/promises";
import path from "node:path";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { initialize, startAcp, useAcpCleanup } from "./acp-client.js";
import { makeSandbox, runCli } from "./helpers.js";

let server: ScriptedOpenAI | undefined;
const { harnesses, track } = useAcpCleanup();

describe("codetether acp: custom commands (built binary, ACP client)", () => {
  it("announces custom commands with available_commands_update and runs `/name args` as the expanded prompt", async () => {
    server = track(await startScriptedOpenAI([{ text: "reviewed via acp" }, { text: "plain" }]));
    const box = await makeSandbox();
    await fs.mkdir(path.join(box.work, ".codetether", "commands"), { recursive: true });
    await fs.writeFile(
      path.join(box.work, ".codetether", "commands", "review.md"),
      "---\ndescription: Review a file for a concern\n---\nReview $1 for $2.\n",
    );
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    const h = startAcp({ cwd: box.work, env });
    harnesses.push(h);
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: box.work, mcpServers: [] });
    const announced = await h.waitFor((u) => u.update.sessionUpdate === "available_commands_update");
    expect(announced.sessionId).toBe(sessionId);
    expect(announced.update).toMatchObject({
      availableCommands: [{ name: "review", description: "Review a file for a concern" }],
    });

    await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "/review src/a.ts races" }] });
    const chats = () =>
      server?.requests
        .filter((r) => r.path.endsWith("/chat/completions"))
        .map((r) => r.body as { messages: Array<{ role: string; content: unknown }> }) ?? [];
    expect(JSON.stringify(chats()[0]?.messages.at(-1)?.content)).toContain("Review src/a.ts for races.");
    // An unknown /name is sent as typed.
    await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "/nope x" }] });
    expect(JSON.stringify(chats()[1]?.messages.at(-1)?.content)).toContain("/nope x");
  });

  it("a command's agent and model are honoured over ACP (trusted folder), and a loaded session keeps the agent", async () => {
    server = track(
      await startScriptedOpenAI([{ text: "audited" }, { text: "still auditing" }, { text: "loaded" }]),
    );
    const box = await makeSandbox();
    const dir = (kind: string) => path.join(box.work, ".codetether", kind);
    await fs.mkdir(dir("commands"), { recursive: true });
    await fs.mkdir(dir("agents"), { recursive: true });
    await fs.writeFile(
      path.join(dir("commands"), "audit.md"),
      "---\ndescription: Audit a path\nmodel: openai/gpt-4o-mini\nagent: auditor\n---\nAudit $1.\n",
    );
    await fs.writeFile(
      path.join(dir("agents"), "auditor.md"),
      "---\ndescription: Audits\ntools: [read, grep]\n---\nYou are AUDITOR-9. Change nothing.\n",
    );
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    expect((await runCli(["trust", box.work], { cwd: box.work, env })).code).toBe(0);
    const h = startAcp({ cwd: box.work, env });
    harnesses.push(h);
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: box.work, mcpServers: [] });
    await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "/audit src" }] });
    type Body = {
      model: string;
      messages: Array<{ role: string; content: unknown }>;
      tools?: Array<{ function: { name: string } }>;
    };
    const chats = () =>
      server?.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => r.body as Body) ?? [];
    const system = (b: Body | undefined) => JSON.stringify(b?.messages.find((m) => m.role === "system"));
    const tools = (b: Body | undefined) => (b?.tools ?? []).map((t) => t.function.name).sort();
    expect(chats()[0]?.model).toBe("gpt-4o-mini");
    expect(system(chats()[0])).toContain("You are AUDITOR-9");
    expect(tools(chats()[0])).toEqual(["grep", "read"]);
    expect(JSON.stringify(chats()[0]?.messages.at(-1)?.content)).toContain("Audit src.");
    // The editor's model picker is told about the switch.
    const update = await h.waitFor((u) => u.update.sessionUpdate === "config_option_update");
    expect(JSON.stringify(update.update)).toContain('"currentValue":"openai/gpt-4o-mini"');
    // Like the TUI: the session goes on as the agent, on its model.
    await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "and more" }] });
    expect(chats()[1]?.model).toBe("gpt-4o-mini");
    expect(system(chats()[1])).toContain("You are AUDITOR-9");

    // A new ACP process loading the session restores its agent.
    const again = startAcp({ cwd: box.work, env });
    harnesses.push(again);
    await initialize(again);
    await again.connection.loadSession({ sessionId, cwd: box.work, mcpServers: [] });
    await again.connection.prompt({ sessionId, prompt: [{ type: "text", text: "loaded?" }] });
    expect(system(chats()[2])).toContain("You are AUDITOR-9");
    expect(tools(chats()[2])).toEqual(["grep", "read"]);
  });
});
