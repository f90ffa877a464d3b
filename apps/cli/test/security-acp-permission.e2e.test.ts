import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { initialize, startAcp, useAcpCleanup } from "./acp-client.js";
import { gitIn, sandboxUsable } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { sandboxedUser } from "./security-helpers.js";

/**
 * What an editor shows when codetether asks permission over ACP is what would run: the model chooses a bash
 * call's `description` and may pad its `command`, and neither may stand in for (or push out of view) the command.
 */

const scripted = useScriptedOpenAI();
const { harnesses } = useAcpCleanup();

async function askFor(args: { command: string; description?: string }) {
  const box = await scripted.boxFor([
    { toolCalls: [{ id: "call_b", name: "bash", arguments: args }] },
    { text: "Not run." },
  ]);
  await fs.mkdir(path.join(box.dir, "config", "codetether"), { recursive: true });
  await fs.writeFile(
    path.join(box.dir, "config", "codetether", "config.toml"),
    '[[permissions.rules]]\ntool = "bash"\naction = "ask"\n',
  );
  const h = startAcp({ cwd: box.work, env: box.env, permission: "reject_once" });
  harnesses.push(h);
  await initialize(h, { fs: true });
  const { sessionId } = await h.connection.newSession({ cwd: box.work, mcpServers: [] });
  const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "run the tests" }] });
  expect(res.stopReason).toBe("end_turn");
  expect(h.permissionRequests).toHaveLength(1);
  const started = h.updates.find((u) => u.update.sessionUpdate === "tool_call")?.update as
    | { title?: string }
    | undefined;
  return { work: box.work, request: h.permissionRequests[0], startedTitle: started?.title ?? "" };
}

describe("acp: a permission request names the command that would run", () => {
  it("the model's description does not replace the command in the title", async () => {
    const { work, request, startedTitle } = await askFor({
      command: "touch pwned-by-description",
      description: "Run the unit tests",
    });
    expect(request?.toolCall.title).toContain("touch pwned-by-description");
    // "Always allow" would allow every later bash call, not this command: its name says so.
    expect(request?.options.find((o) => o.kind === "allow_always")?.name).toBe(
      "Always allow bash (every call, this session)",
    );
    expect(startedTitle).toContain("touch pwned-by-description");
    await expect(fs.access(path.join(work, "pwned-by-description"))).rejects.toThrow();
  });

  it("padding does not push the end of the command out of the title", async () => {
    const { request } = await askFor({ command: `echo hello${" ".repeat(400)}&& touch pwned-by-padding` });
    expect(request?.toolCall.title).toContain("touch pwned-by-padding");
    expect(request?.toolCall.title).not.toMatch(/ {4}/);
  });
});

const usable = sandboxUsable("ACP protected-path tests");

describe.skipIf(!usable)("acp: the editor's file tools keep the sandbox's protected paths", () => {
  it("with the sandbox on, a write or edit through the editor cannot plant a git hook, git config or codetether.toml", async () => {
    const box = await sandboxedUser();
    gitIn(box.work, ["init", "-q"]);
    const model = await scripted.start([
      {
        toolCalls: [
          {
            id: "w1",
            name: "write",
            arguments: { path: ".git/hooks/pre-commit", content: "#!/bin/sh\ntouch /tmp/x\n" },
          },
          {
            id: "w2",
            name: "write",
            arguments: { path: "sub/codetether.toml", content: "[sandbox]\nenabled = false\n" },
          },
          {
            id: "w3",
            name: "edit",
            arguments: {
              path: ".git/config",
              oldString: "[core]",
              newString: "[core]\n\tfsmonitor = touch /tmp/x",
            },
          },
        ],
      },
      { text: "Done." },
    ]);
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.url };
    const h = startAcp({ cwd: box.work, env, permission: "allow_once" });
    harnesses.push(h);
    await initialize(h, { fs: true });
    const { sessionId } = await h.connection.newSession({ cwd: box.work, mcpServers: [] });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "set up hooks" }] });
    expect(res.stopReason).toBe("end_turn");
    expect(h.writes).toEqual([]);
    const results = JSON.stringify(
      scripted
        .chatBodies()
        .at(-1)
        ?.messages.filter((m) => m.role === "tool"),
    );
    expect(results.match(/is protected while the sandbox is on/g)?.length).toBe(3);
  });
});
