import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import {
  closeHookServers,
  exists,
  hookRecords,
  M,
  makeBox,
  readJson,
  script,
  sent,
  setup,
} from "./hooks-helpers.js";

// Tool hooks hold for the agents codetether starts besides the session's own: the task tool's sub-agent, the
// sub-agents of `codetether swarm` and the story agents of `codetether ralph run`.

afterEach(closeHookServers);

describe("hooks in sub-agents (built binary, scripted model)", () => {
  it("a sub-agent started by the task tool is held to the same pre_tool_use hooks", async () => {
    const box = await makeBox();
    const cmd = await script(
      box.dir,
      "deny.sh",
      `cat > /dev/null\necho "no shell in sub-agents either" >&2\nexit 2`,
    );
    const t = await setup(
      `[[hooks.pre_tool_use]]\nmatcher = "bash"\n${cmd}\n`,
      [
        { toolCalls: [{ name: "task", arguments: { description: "make marker", prompt: "touch marker" } }] },
        { toolCalls: [{ name: "bash", arguments: { command: "touch marker", description: "x" } }] },
        { text: "the hook refused it" },
        { text: "the sub-agent could not" },
      ],
      box,
    );
    const res = await runCli(["run", "--json", ...M, "delegate"], { cwd: t.work, env: t.env });
    expect(res.code).toBe(0);
    expect(await exists(path.join(t.work, "marker"))).toBe(false);
    // Request 2 is the sub-agent's second call: it saw the refusal as its bash result.
    expect(sent(t.server, 2)).toContain("no shell in sub-agents either");
    const records = await hookRecords(t.auditDir);
    expect(records.map((r) => [r.resource, r.details.decision])).toEqual([["pre_tool_use", "block"]]);
  });

  it("the sub-agents of `codetether swarm` are held to the same pre_tool_use hooks", async () => {
    const box = await makeBox();
    const cmd = await script(
      box.dir,
      "deny-write.sh",
      `cat > "${box.dir}/out/swarm-pre.json"\necho "no writes from swarm sub-agents" >&2\nexit 2`,
    );
    const t = await setup(
      `[[hooks.pre_tool_use]]\nmatcher = "write"\n${cmd}\n`,
      [
        { toolCalls: [{ name: "write", arguments: { path: "swarm.txt", content: "x" } }] },
        { text: "the hook refused it" },
      ],
      box,
    );
    const res = await runCli(["swarm", "--strategy", "none", "--json", ...M, "write swarm.txt"], {
      cwd: t.work,
      env: t.env,
    });
    expect(res.code).toBe(0);
    expect(await exists(path.join(t.work, "swarm.txt"))).toBe(false);
    expect(sent(t.server, 1)).toContain("no writes from swarm sub-agents");
    expect(await readJson(t.out("swarm-pre.json"))).toMatchObject({
      hook_event_name: "PreToolUse",
      tool_name: "write",
      permission_mode: "bypassPermissions",
    });
    const records = await hookRecords(t.auditDir);
    expect(records.map((r) => [r.resource, r.details.decision])).toEqual([["pre_tool_use", "block"]]);
  });

  it("the story agents of `codetether ralph run` are held to the same pre_tool_use hooks", async () => {
    const box = await makeBox();
    const cmd = await script(
      box.dir,
      "deny-write.sh",
      `cat > /dev/null\necho "no writes from ralph story agents" >&2\nexit 2`,
    );
    const t = await setup(
      `[[hooks.pre_tool_use]]\nmatcher = "write"\n${cmd}\n`,
      [
        { toolCalls: [{ name: "write", arguments: { path: "story.txt", content: "x" } }] },
        { text: "the hook refused it" },
      ],
      box,
    );
    const prd = {
      project: "demo",
      feature: "story",
      quality_checks: { test: "test -f story.txt" },
      user_stories: [
        {
          id: "US-1",
          title: "Write story.txt",
          description: "create story.txt",
          acceptance_criteria: ["story.txt exists"],
          priority: 1,
          depends_on: [],
          complexity: 1,
          passes: false,
        },
      ],
    };
    await fs.writeFile(path.join(t.work, "prd.json"), JSON.stringify(prd));
    const res = await runCli(["ralph", "run", "--max-iterations", "1", "--json", ...M], {
      cwd: t.work,
      env: t.env,
    });
    expect(res.code).not.toBe(0);
    expect(await exists(path.join(t.work, "story.txt"))).toBe(false);
    expect(sent(t.server, 1)).toContain("no writes from ralph story agents");
    const records = await hookRecords(t.auditDir);
    expect(records.map((r) => [r.resource, r.details.decision])).toEqual([["pre_tool_use", "block"]]);
  });
});
