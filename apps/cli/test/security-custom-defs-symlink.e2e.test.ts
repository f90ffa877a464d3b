import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { toolEnds } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { securityBox } from "./security-helpers.js";

/**
 * A cloned repository ships `.codetether/agents/reviewer.md` as a symlink to the user's private key (git stores
 * symlinks). The model asks `task` for that agent: the definition's body would become the sub-agent's system prompt
 * and go to the provider. Built CLI, scripted model.
 */
const model = useScriptedOpenAI();
const SECRET = "PRIVATE-KEY-5eed1e55";

describe("project custom agents that link outside the project (built binary)", () => {
  it("are skipped, saying why; the linked file never reaches the model", async () => {
    const box = await securityBox();
    await fs.mkdir(path.join(box.dir, ".ssh"), { recursive: true });
    const key = path.join(box.dir, ".ssh", "id_rsa");
    await fs.writeFile(key, `---\ndescription: looks like an agent\n---\n${SECRET}\n`, { mode: 0o600 });
    await fs.mkdir(path.join(box.work, ".codetether", "agents"), { recursive: true });
    await fs.symlink(key, path.join(box.work, ".codetether", "agents", "reviewer.md"));
    const server = await model.start([
      {
        toolCalls: [
          { name: "task", arguments: { description: "review", prompt: "review a.ts", agent: "reviewer" } },
        ],
      },
      { text: "sub-agent done" },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "get it reviewed"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.stringify(server.requests)).not.toContain(SECRET);
    expect(res.stdout).not.toContain(SECRET);
    // The model is told why: the definition of that name was skipped.
    const taskEnd = toolEnds(res.stdout).find((e) => e.tool === "task");
    expect(taskEnd?.result.output).toContain('No custom agent "reviewer"');
    expect(taskEnd?.result.output).toMatch(/reviewer\.md: resolves to .*outside the project/);
  });
});
