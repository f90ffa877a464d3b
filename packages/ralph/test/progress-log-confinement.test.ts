import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appendProgress, readProgressTail } from "../src/index.js";

// progress.txt lives in the workspace, which a sandboxed story agent can write: it can replace the file with a
// symlink to ~/.bashrc (ralph would append model-written text there, outside the sandbox) or to ~/.ssh/id_rsa (whose
// tail would go into the next story's prompt, to the provider). The log is opened without following a final
// symlink, checked where the descriptor really is, and must be a regular file.

async function box() {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ct-progress-")));
  const work = path.join(dir, "work");
  await fs.mkdir(work);
  const outside = path.join(dir, "bashrc");
  await fs.writeFile(outside, "ORIGINAL\n");
  return { dir, work, outside, progress: path.join(work, "progress.txt") };
}

describe("progress log: never through a symlink, never a FIFO", () => {
  it("appending to a progress.txt swapped for a symlink leaves the target unchanged and says why", async () => {
    const b = await box();
    await fs.symlink(b.outside, b.progress);
    await expect(appendProgress(b.progress, "## Iteration 1\necho pwned\n")).rejects.toThrow(
      /progress\.txt is a symlink.*remove it/,
    );
    expect(await fs.readFile(b.outside, "utf8")).toBe("ORIGINAL\n");
  });

  it("the tail of a progress.txt swapped for a symlink is never read", async () => {
    const b = await box();
    await fs.writeFile(b.outside, "PRIVATE-KEY-feedface\n");
    await fs.symlink(b.outside, b.progress);
    await expect(readProgressTail(b.progress)).rejects.toThrow(/progress\.txt is a symlink/);
  });

  it("a FIFO is refused without blocking", async () => {
    const b = await box();
    execFileSync("mkfifo", [b.progress]);
    await expect(readProgressTail(b.progress)).rejects.toThrow(/not a regular file/);
    await expect(appendProgress(b.progress, "x")).rejects.toThrow(/not a regular file/);
  });

  it("a plain file is appended and read as before; a missing one is created", async () => {
    const b = await box();
    expect(await readProgressTail(b.progress)).toBe("");
    await appendProgress(b.progress, "one");
    await appendProgress(b.progress, "two\n");
    expect(await readProgressTail(b.progress)).toBe("one\ntwo\n");
  });
});
