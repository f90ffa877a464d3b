import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadAgentsMd } from "../src/index.js";

// AGENTS.md goes into every system prompt, so into every request to the provider. A repository can ship it as a
// symlink to any file of yours (git stores symlinks), and a sandboxed bash can create one to a file the sandbox
// hides: the file must resolve inside the repository (or the working directory outside one).

const SECRET = "PRIVATE-KEY-a9b8c7d6";

async function repo() {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ct-agentsmd-")));
  const work = path.join(dir, "work");
  await fs.mkdir(path.join(work, ".git"), { recursive: true });
  await fs.mkdir(path.join(work, "sub"), { recursive: true });
  const secret = path.join(dir, "id_rsa");
  await fs.writeFile(secret, `${SECRET}\n`);
  return { dir, work, secret };
}

describe("loadAgentsMd: only files inside the repository", () => {
  it("skips an AGENTS.md that is a symlink to a file outside the repository", async () => {
    const r = await repo();
    await fs.symlink(r.secret, path.join(r.work, "AGENTS.md"));
    await fs.writeFile(path.join(r.work, "sub", "AGENTS.md"), "Sub rules.\n");
    const files = loadAgentsMd(path.join(r.work, "sub"));
    expect(JSON.stringify(files)).not.toContain(SECRET);
    expect(files.map((f) => f.content)).toEqual(["Sub rules.\n"]);
  });

  it("keeps a symlink inside the repository (CLAUDE.md-style sharing)", async () => {
    const r = await repo();
    await fs.writeFile(path.join(r.work, "RULES.md"), "Shared rules.\n");
    await fs.symlink(path.join(r.work, "RULES.md"), path.join(r.work, "AGENTS.md"));
    expect(loadAgentsMd(r.work).map((f) => f.content)).toEqual(["Shared rules.\n"]);
  });

  it("outside a repository, only the working directory's own files count", async () => {
    const r = await repo();
    const plain = path.join(r.dir, "plain");
    await fs.mkdir(plain);
    await fs.symlink(r.secret, path.join(plain, "AGENTS.md"));
    expect(loadAgentsMd(plain)).toEqual([]);
  });
});
