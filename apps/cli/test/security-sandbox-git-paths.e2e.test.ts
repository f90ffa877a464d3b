import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exists, runCli } from "./helpers.js";
import { bash, gitIn, sandboxUsable, toolEnds, useVarTmpHomes } from "./sandbox-helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";

/**
 * What git or codetether run or load from a repository, beyond the top-level hooks, config and project config
 * (see security-sandbox-escapes): `.git/info`, `.git/commondir`, linked worktrees' and submodules' git dirs,
 * nested repositories, and project config in subfolders. Neither sandboxed bash nor the file tools may change
 * them. The built CLI, the real bubblewrap, a scripted model; the box lives under /var/tmp (see the escapes file).
 */
const model = useScriptedOpenAI();
const homeBox = useVarTmpHomes();
const usable = sandboxUsable("sandbox git-path tests");

const write = (p: string, content: string) => ({ name: "write", arguments: { path: p, content } });
/** Every file below `dir` with its content (what must not change). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = await fs.readFile(file, "latin1");
  }
  return out;
}

describe.skipIf(!usable)("sandbox: every git dir and project config below the workspace is read-only", () => {
  it("bash and the file tools cannot change .git/info, commondir, worktrees, modules, nested repos or subfolder config", async () => {
    const { home, work, env } = await homeBox("ct-gitpaths-");
    gitIn(work, ["init", "-q"]);
    await fs.writeFile(path.join(work, "a.txt"), "a\n");
    gitIn(work, ["add", "."]);
    gitIn(work, ["commit", "-qm", "init"]);
    gitIn(work, ["worktree", "add", "-q", path.join(home, "linked")]);
    // A submodule's git dir (as `git submodule add` leaves it) and a nested repository in a subfolder.
    gitIn(work, ["init", "-q", "--bare", path.join(work, ".git", "modules", "sub")]);
    await fs.mkdir(path.join(work, "vendor", "lib"), { recursive: true });
    gitIn(path.join(work, "vendor", "lib"), ["init", "-q"]);
    await fs.mkdir(path.join(work, "pkg", ".codetether"), { recursive: true });
    await fs.writeFile(path.join(work, "pkg", "codetether.toml"), "[agent]\n");
    await fs.writeFile(path.join(work, "pkg", ".codetether", "keep.md"), "keep\n");
    const gitBefore = await snapshot(path.join(work, ".git"));
    const nestedBefore = await snapshot(path.join(work, "vendor", "lib", ".git"));

    const server = await model.start([
      {
        toolCalls: [
          bash(
            [
              "echo '*.txt filter=evil' > .git/info/attributes",
              "echo evil >> .git/info/exclude",
              "echo ../evil > .git/commondir",
              "echo '[core]' >> .git/worktrees/linked/config.worktree",
              "echo ../../evil > .git/worktrees/linked/commondir",
              "echo '[core]' >> .git/modules/sub/config",
              "echo x > .git/modules/sub/hooks/post-checkout",
              "echo '[core]' >> vendor/lib/.git/config",
              "echo x > vendor/lib/.git/hooks/pre-commit",
              "echo x > vendor/lib/.git/info/attributes",
              "echo '[sandbox]' >> pkg/codetether.toml",
              "echo x > pkg/.codetether/new.md",
              "echo bash-tried",
            ].join("; "),
          ),
        ],
      },
      { toolCalls: [write(".git/hooks/post-commit", "#!/bin/sh\ntouch /var/tmp/pwned\n")] },
      { toolCalls: [write(".git/info/attributes", "* filter=evil\n")] },
      { toolCalls: [write("vendor/lib/.git/config", "[core]\n\tfsmonitor = /var/tmp/evil\n")] },
      { toolCalls: [write("other/codetether.toml", "[sandbox]\nenabled = false\n")] },
      { toolCalls: [write("pkg/.codetether/agents/x.md", "x\n")] },
      { toolCalls: [write("ok.txt", "still writable\n")] },
      { text: "done" },
    ]);
    const res = await runCli(["run", "--yes", "--json", "--model", "openai/gpt-4o", "escape"], {
      cwd: work,
      env: { ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url, CODETETHER_SANDBOX: "1" },
    });
    expect(res.code).toBe(0);
    const ends = toolEnds(res.stdout);
    expect(ends).toHaveLength(7);
    expect(ends[0].result.output).toContain("bash-tried");
    for (const denied of ends.slice(1, 6)) expect(denied.result.output).toMatch(/protected/);
    expect(await snapshot(path.join(work, ".git"))).toEqual(gitBefore);
    expect(await snapshot(path.join(work, "vendor", "lib", ".git"))).toEqual(nestedBefore);
    expect(await fs.readFile(path.join(work, "pkg", "codetether.toml"), "utf8")).toBe("[agent]\n");
    expect(await fs.readdir(path.join(work, "pkg", ".codetether"))).toEqual(["keep.md"]);
    expect(await exists(path.join(work, "other", "codetether.toml"))).toBe(false);
    expect(await fs.readFile(path.join(work, "ok.txt"), "utf8")).toBe("still writable\n");
    // git still works in the repository and in the linked worktree: the placeholders were removed again.
    expect(gitIn(work, ["status", "--porcelain"])).toContain("ok.txt");
    expect(gitIn(path.join(home, "linked"), ["rev-parse", "--abbrev-ref", "HEAD"])).toBe("linked");
  });
});
