import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowGitHooksIn, git, gitOk } from "../src/index.js";

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

  it("runs no repository hook and no fsmonitor unless the folder is in git.run_hooks_in", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-core-git-"));
    execFileSync("git", ["init", "-q", dir]);
    const marker = path.join(dir, "..", `${path.basename(dir)}-ran`);
    await fs.writeFile(
      path.join(dir, ".git", "hooks", "post-commit"),
      `#!/bin/sh\necho hook >> ${marker}\n`,
      {
        mode: 0o755,
      },
    );
    const monitor = path.join(dir, "..", `${path.basename(dir)}-fsmonitor.sh`);
    await fs.writeFile(monitor, `#!/bin/sh\necho fsmonitor >> ${marker}\n`, { mode: 0o755 });
    execFileSync("git", ["-C", dir, "config", "core.fsmonitor", monitor]);
    const id = ["-c", "user.name=t", "-c", "user.email=t@t.invalid"];
    await fs.writeFile(path.join(dir, "a.txt"), "a\n");
    await gitOk(dir, ["add", "-A"]);
    await gitOk(dir, [...id, "commit", "-qm", "one"]);
    await gitOk(dir, ["status"]);
    await expect(fs.access(marker)).rejects.toThrow();
    allowGitHooksIn([dir]);
    try {
      await fs.writeFile(path.join(dir, "b.txt"), "b\n");
      await gitOk(dir, ["add", "-A"]);
      await gitOk(dir, [...id, "commit", "-qm", "two"]);
      expect(await fs.readFile(marker, "utf8")).toContain("hook");
    } finally {
      allowGitHooksIn([]);
    }
  });
});
