import fs from "node:fs/promises";
import path from "node:path";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type AcpHarness, initialize, startAcp } from "./acp-client.js";
import { makeSandbox } from "./helpers.js";

let server: ScriptedOpenAI | undefined;
const harnesses: AcpHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    h.child.kill("SIGKILL");
    await h.close();
  }
  await server?.close();
  server = undefined;
});

describe("codetether acp: custom commands (built binary, ACP client)", () => {
  it("announces custom commands with available_commands_update and runs `/name args` as the expanded prompt", async () => {
    server = await startScriptedOpenAI([{ text: "reviewed via acp" }, { text: "plain" }]);
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
});
