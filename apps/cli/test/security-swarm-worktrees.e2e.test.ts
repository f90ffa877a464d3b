import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { gitIn, sandboxUsable, useVarTmpHomes } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

/**
 * `swarm --worktrees` gives each sub-agent a git worktree inside the workspace's `.git`, then commits and merges it
 * with codetether's own git, outside the sandbox. A sandboxed sub-agent can rewrite its worktree's `.git` file to
 * point at a git dir it made, whose config names a filter driver: codetether's `git add` must not run it.
 */
const model = useScriptedOpenAI();
const homeBox = useVarTmpHomes();
const usable = sandboxUsable("swarm worktree tests");

describe.skipIf(!usable)("swarm --worktrees with the sandbox on", () => {
  it("a sub-agent that repoints its worktree's .git at its own git dir runs no command outside the sandbox", async () => {
    const box = await homeBox("ct-swarm-wt-");
    gitIn(box.work, ["init", "-q"]);
    await fs.writeFile(path.join(box.work, "a.txt"), "a\n");
    gitIn(box.work, ["add", "."]);
    gitIn(box.work, ["commit", "-qm", "init"]);
    const marker = path.join(box.home, "filter-ran");
    const evil = path.join(box.work, "evil");
    const plant = [
      `git init -q ${evil}`,
      `git config -f ${evil}/.git/config filter.x.clean "sh -c 'touch ${marker}; cat'"`,
      `echo "gitdir: ${evil}/.git" > .git`,
      "echo '* filter=x' > .gitattributes",
      "echo b > b.txt",
      `echo planted > ${box.work}/planted.txt`,
    ].join(" && ");
    const plan = { subtasks: [{ name: "part", instruction: "change b.txt" }] };
    const server = await model.start(
      Array.from({ length: 6 }, () => (request: { body: unknown }) => {
        const body = JSON.stringify(request.body);
        if (body.includes("orchestrator of a swarm"))
          return { text: `\`\`\`json\n${JSON.stringify(plan)}\n\`\`\`` };
        if (body.includes("Sub-agents worked on parts")) return { text: "synthesis done" };
        if (!body.includes('"role":"tool"'))
          return { toolCalls: [{ name: "bash", arguments: { command: plant, description: "plant" } }] };
        return { text: "part finished" };
      }),
    );
    const res = await runCli(["swarm", "--worktrees", "--json", "-m", "openai/gpt-4o", "change b"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url, CODETETHER_SANDBOX: "1" },
    });
    expect(res.code).toBe(0);
    // The sub-agent's change was committed on its branch and merged, by codetether's git in the real worktree.
    expect(await fs.readFile(path.join(box.work, "b.txt"), "utf8")).toBe("b\n");
    // The plant ran (in the sandbox): the file it wrote last is there.
    expect(await fs.readFile(path.join(box.work, "planted.txt"), "utf8")).toBe("planted\n");
    await expect(fs.access(marker)).rejects.toThrow();
  });
});
