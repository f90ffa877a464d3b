import { execFileSync } from "node:child_process";
import { constants } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCustomAgents, loadCustomCommands } from "../src/index.js";

// A cloned repository can ship `.codetether/agents/*.md` as a symlink to any file of yours (git stores symlinks):
// a custom agent's body is a sub-agent's system prompt, sent to the provider when the model calls `task` with it.
// Project definitions are read through one confined open: inside the project, regular files only.

const SECRET = "PRIVATE-KEY-c0ffee42";

async function box() {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ct-defs-")));
  const project = path.join(dir, "project");
  const user = path.join(dir, "user");
  await fs.mkdir(path.join(project, ".codetether", "agents"), { recursive: true });
  await fs.mkdir(path.join(project, ".codetether", "commands"), { recursive: true });
  await fs.mkdir(user, { recursive: true });
  const secret = path.join(dir, "id_rsa");
  await fs.writeFile(secret, `${SECRET}\n`);
  return { dir, project, user, secret };
}

describe("project custom agents and commands: one confined read", () => {
  it("a project agent symlinked to a file outside the project is skipped, its content never loaded", async () => {
    const b = await box();
    await fs.symlink(b.secret, path.join(b.project, ".codetether", "agents", "reviewer.md"));
    await fs.symlink(b.secret, path.join(b.project, ".codetether", "commands", "review.md"));
    const agents = await loadCustomAgents({ projectRoot: b.project, userConfigDir: b.user });
    expect(JSON.stringify(agents.agents)).not.toContain(SECRET);
    expect(agents.problems.join("\n")).toMatch(/reviewer\.md: .*outside/);
    const commands = await loadCustomCommands({ projectRoot: b.project, userConfigDir: b.user });
    expect(JSON.stringify(commands.commands)).not.toContain(SECRET);
    expect(commands.problems.join("\n")).toMatch(/review\.md: .*outside/);
  });

  it("a symlink inside the project still works", async () => {
    const b = await box();
    await fs.writeFile(path.join(b.project, "agent.md"), "---\ndescription: d\n---\nBe a reviewer.\n");
    await fs.symlink(
      path.join(b.project, "agent.md"),
      path.join(b.project, ".codetether", "agents", "reviewer.md"),
    );
    const { agents } = await loadCustomAgents({ projectRoot: b.project, userConfigDir: b.user });
    expect(agents[0]?.systemPrompt).toBe("Be a reviewer.");
  });

  it("a FIFO planted as a definition is refused without blocking", async () => {
    const b = await box();
    const fifo = path.join(b.project, ".codetether", "commands", "hang.md");
    execFileSync("mkfifo", [fifo]);
    // A loader that opens the FIFO for a blocking read lets this writer through; it then closes at once, so such a
    // loader reads an empty file instead of hanging the test.
    const writer = fs.open(fifo, constants.O_WRONLY).then((h) => h.close());
    const { problems } = await loadCustomCommands({ projectRoot: b.project, userConfigDir: b.user });
    const reader = await fs.open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    await writer;
    await reader.close();
    expect(problems.join("\n")).toMatch(/hang\.md: .*not a regular file/);
  });
});
