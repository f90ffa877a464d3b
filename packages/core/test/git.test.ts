import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { git, gitOk } from "../src/index.js";

describe("git", () => {
  it("runs git with an argument vector, never a shell", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-core-git-"));
    execFileSync("git", ["init", "-q", dir]);
    const branch = "x; touch pwned";
    const made = await git(dir, ["checkout", "-q", "-b", branch]);
    // git refuses the name itself; no shell ever runs `touch`.
    expect(made.code).not.toBe(0);
    expect(made.stderr).toMatch(/not a valid branch name/);
    await expect(fs.access(path.join(dir, "pwned"))).rejects.toThrow();
    expect((await gitOk(dir, ["rev-parse", "--is-inside-work-tree"])).trim()).toBe("true");
  });

  it("gitOk throws with the command, exit code and git's message", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-core-git-"));
    await expect(gitOk(dir, ["rev-parse", "--show-toplevel"])).rejects.toThrow(
      /git rev-parse --show-toplevel failed \(exit 128\): fatal: not a git repository/,
    );
  });

  it("rejects when the working directory does not exist", async () => {
    await expect(git(path.join(os.tmpdir(), "ct-core-git-missing", "x"), ["status"])).rejects.toThrow(
      /ENOENT/,
    );
  });
});
