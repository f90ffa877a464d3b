import { execFileSync } from "node:child_process";
import { constants } from "node:fs";
import fs, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSkillTool } from "../src/skill.js";
import { context, run, workspace, write } from "./helpers.js";

const skill = (name: string, description: string, body: string) =>
  `---\nname: ${name}\ndescription: "${description}"\n---\n${body}\n`;
const SECRET = "TOP-SECRET-7f3a9c";

/**
 * A FIFO planted as a SKILL.md. Our writer's open completes once the tool opens the FIFO for reading; `onWriter`
 * then runs with it. The old tool blocked in that read until the writer closed, so whatever `onWriter` does happens
 * between its discovery and its load; the fixed tool opens without blocking and refuses the FIFO. `settle` lets a
 * writer still waiting through (with a reader of our own) and waits for `onWriter` to finish.
 */
async function fifo(file: string, onWriter: (writer: FileHandle) => Promise<void>) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  execFileSync("mkfifo", [file]);
  const handled = fs.open(file, constants.O_WRONLY).then(async (writer) => {
    try {
      await onWriter(writer);
    } finally {
      await writer.close();
    }
  });
  return {
    async settle() {
      const reader = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
      await handled;
      await reader.close();
    },
  };
}

/** Writing into a FIFO whose reader (the fixed tool's non-blocking probe) is gone fails with EPIPE: harmless. */
async function writeIgnoringEpipe(writer: FileHandle, text: string): Promise<void> {
  await writer.write(text).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
}

describe("skill: one confined open per SKILL.md", () => {
  it("returns the content it validated even when SKILL.md is swapped for a symlink to a secret before load", async () => {
    const ws = await workspace();
    const secretFile = path.join(ws, "..", "secret.md");
    await fs.writeFile(secretFile, skill("release", "stolen", SECRET));
    const file = await write(
      ws,
      ".codetether/skills/release/SKILL.md",
      skill("release", "Cut", "Real steps."),
    );
    // Discovery reads .codetether/skills before .claude/skills: when the FIFO is opened, release was read already.
    const gate = await fifo(path.join(ws, ".claude/skills/zz/SKILL.md"), async (writer) => {
      await fs.rm(file);
      await fs.symlink(secretFile, file);
      await writeIgnoringEpipe(writer, skill("zz", "filler", "x"));
    });
    const tool = createSkillTool({ userConfigDir: path.join(ws, "..", "none") });
    const result = await run(tool, { action: "load", name: "release" }, context(ws));
    await gate.settle();
    expect(result.output).not.toContain(SECRET);
    expect(result.output).toContain("Real steps.");
  });

  it("refuses a SKILL.md that is a symlink leaving the workspace (list and load)", async () => {
    const ws = await workspace();
    const secretFile = path.join(ws, "..", "secret.md");
    await fs.writeFile(secretFile, skill("leak", "looks fine", SECRET));
    await fs.mkdir(path.join(ws, ".codetether/skills/leak"), { recursive: true });
    await fs.symlink(secretFile, path.join(ws, ".codetether/skills/leak/SKILL.md"));
    const tool = createSkillTool({ userConfigDir: path.join(ws, "..", "none") });
    const list = await run(tool, { action: "list" }, context(ws));
    expect(list.output).not.toContain("- leak");
    expect(list.output).toContain("leak/SKILL.md");
    expect(list.output).toMatch(/outside/);
    const load = await run(tool, { action: "load", name: "leak" }, context(ws));
    expect(load.isError).toBe(true);
    expect(load.output).not.toContain(SECRET);
  });

  it("allows a symlink that stays inside the workspace", async () => {
    const ws = await workspace();
    await write(ws, "docs/release.md", skill("release", "Cut", "Linked steps."));
    await fs.mkdir(path.join(ws, ".codetether/skills/release"), { recursive: true });
    await fs.symlink(path.join(ws, "docs/release.md"), path.join(ws, ".codetether/skills/release/SKILL.md"));
    const tool = createSkillTool({ userConfigDir: path.join(ws, "..", "none") });
    const load = await run(tool, { action: "load", name: "release" }, context(ws));
    expect(load.isError).toBeFalsy();
    expect(load.output).toContain("Linked steps.");
  });

  it("does not hang on a FIFO planted as SKILL.md, and reports it", async () => {
    const ws = await workspace();
    await write(ws, ".codetether/skills/ok/SKILL.md", skill("ok", "Fine", "ok body"));
    // The writer closes at once: a blocking reader (the old tool) then reads an empty file instead of hanging.
    const gate = await fifo(path.join(ws, ".codetether/skills/pipe/SKILL.md"), async () => {});
    const tool = createSkillTool({ userConfigDir: path.join(ws, "..", "none") });
    const result = await run(tool, { action: "list" }, context(ws));
    await gate.settle();
    expect(result.output).toContain("- ok (project): Fine");
    expect(result.output).toMatch(/pipe\/SKILL\.md: .*not a regular file/);
  });

  it("confines a user skill to the user's skills directory", async () => {
    const ws = await workspace();
    const user = path.join(ws, "..", "config");
    const secretFile = path.join(ws, "..", "secret.md");
    await fs.writeFile(secretFile, skill("ssh", "looks fine", SECRET));
    await fs.mkdir(path.join(user, "skills/ssh"), { recursive: true });
    await fs.symlink(secretFile, path.join(user, "skills/ssh/SKILL.md"));
    await write(user, "skills/notes/SKILL.md", skill("notes", "Notes", "note body"));
    const tool = createSkillTool({ userConfigDir: user });
    const load = await run(tool, { action: "load", name: "ssh" }, context(ws));
    expect(load.isError).toBe(true);
    expect(load.output).not.toContain(SECRET);
    const notes = await run(tool, { action: "load", name: "notes" }, context(ws));
    expect(notes.output).toContain("note body");
  });

  it("skips a SKILL.md too large to be a skill", async () => {
    const ws = await workspace();
    await write(ws, ".codetether/skills/big/SKILL.md", skill("big", "Big", "x".repeat(2 * 1024 * 1024)));
    const tool = createSkillTool({ userConfigDir: path.join(ws, "..", "none") });
    const list = await run(tool, { action: "list" }, context(ws));
    expect(list.output).not.toContain("- big");
    expect(list.output).toMatch(/big\/SKILL\.md: .*bytes/);
  });
});
