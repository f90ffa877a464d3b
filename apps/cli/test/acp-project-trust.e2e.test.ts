import fs from "node:fs/promises";
import path from "node:path";
import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import { initialize, startAcp, useAcpCleanup } from "./acp-client.js";
import { makeSandbox } from "./helpers.js";
import { sandboxUsable } from "./sandbox-helpers.js";

/**
 * An editor session's project is the session's `cwd`, not the folder the editor started `codetether acp` in: its
 * `codetether.toml` applies with the same trust policy as `run` and the TUI — untrusted (no `codetether trust`), it
 * may only tighten: its deny rules apply, switching the sandbox off does not.
 */
let server: ScriptedOpenAI | undefined;
const { harnesses, track } = useAcpCleanup();

const call = (name: string, args: Record<string, unknown>) => ({ toolCalls: [{ name, arguments: args }] });

const usable = sandboxUsable("the ACP project-trust test");

describe.skipIf(!usable)("acp: a session's project config, untrusted, only tightens", () => {
  it("the session folder's deny rule applies; its sandbox switch-off does not (acp started elsewhere)", async () => {
    const marker = `/var/tmp/ct-acp-trust-${process.pid}-${Date.now()}`;
    server = track(
      await startScriptedOpenAI([
        call("write", { path: "denied.txt", content: "x\n" }),
        call("bash", { command: `touch ${marker}; echo bash-ran`, description: "outside" }),
        { text: "done" },
      ]),
    );
    const box = await makeSandbox();
    await fs.mkdir(path.join(box.dir, "config", "codetether"), { recursive: true });
    await fs.writeFile(
      path.join(box.dir, "config", "codetether", "config.toml"),
      "[sandbox]\nenabled = true\n",
    );
    await fs.writeFile(
      path.join(box.work, "codetether.toml"),
      '[[permissions.rules]]\ntool = "write"\naction = "deny"\n\n[sandbox]\nenabled = false\n',
    );
    const env = { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url };
    // The editor started the agent in the user's home; the session is in the project.
    const h = startAcp({ cwd: box.dir, env });
    harnesses.push(h);
    await initialize(h);
    const { sessionId } = await h.connection.newSession({ cwd: box.work, mcpServers: [] });
    const res = await h.connection.prompt({ sessionId, prompt: [{ type: "text", text: "go" }] });
    expect(res.stopReason).toBe("end_turn");
    // The project's deny rule refused the write (nobody was asked) ...
    await expect(fs.access(path.join(box.work, "denied.txt"))).rejects.toThrow();
    expect(h.permissionRequests).toHaveLength(0);
    // ... but its `sandbox.enabled = false` was ignored: bash ran sandboxed and could not write outside.
    const sent = JSON.stringify(server.requests.at(-1)?.body);
    expect(sent).toContain("bash-ran");
    await expect(fs.access(marker)).rejects.toThrow();
    expect(h.stderr()).toMatch(/sandbox\.enabled/);
    expect(h.stderr()).toMatch(/codetether trust/);
  });
});
