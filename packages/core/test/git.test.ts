import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowGitHooksIn, git, gitAddAll, gitOk } from "../src/index.js";

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

  it("never runs a filter driver that a nested repository's own config names (status, diff, add, commit)", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-core-git-"));
    const id = ["-c", "user.name=t", "-c", "user.email=t@t.invalid"];
    const sh = (cwd: string, args: string[]) => execFileSync("git", [...id, ...args], { cwd, stdio: "pipe" });
    sh(dir, ["init", "-q"]);
    // A nested repository a model's command could have made: its config names a clean filter its attributes use.
    const sub = path.join(dir, "sub");
    await fs.mkdir(sub);
    sh(sub, ["init", "-q"]);
    const marker = path.join(dir, "..", `${path.basename(dir)}-filter-ran`);
    const filter = path.join(dir, "..", `${path.basename(dir)}-filter.sh`);
    await fs.writeFile(filter, `#!/bin/sh\necho filter >> ${marker}\ncat\n`, { mode: 0o755 });
    await fs.writeFile(path.join(sub, ".gitattributes"), "* filter=evil\n");
    await fs.writeFile(path.join(sub, "f.txt"), "f\n");
    sh(sub, ["add", "."]);
    sh(sub, ["config", "filter.evil.clean", filter]);
    sh(sub, ["commit", "-qm", "sub"]);
    await fs.writeFile(path.join(dir, "a.txt"), "a\n");
    sh(dir, ["add", "-A"]); // the nested repository becomes a gitlink
    sh(dir, ["commit", "-qm", "top"]);
    await fs.rm(marker, { force: true });
    // Newer stat data makes git re-read the nested file through its filter, unless it never looks inside.
    const later = new Date(Date.now() + 5_000);
    await fs.utimes(path.join(sub, "f.txt"), later, later);
    await fs.writeFile(path.join(dir, "a.txt"), "b\n");
    await gitOk(dir, ["status", "--porcelain"]);
    await gitOk(dir, ["diff"]);
    await gitAddAll(dir);
    await gitOk(dir, [...id, "commit", "-qm", "change"]);
    await gitOk(dir, ["checkout", "-q", "-b", "other"]);
    await expect(fs.access(marker)).rejects.toThrow();
    expect((await gitOk(dir, ["show", "--name-only", "--format=", "HEAD"])).trim()).toBe("a.txt");
  });
});
