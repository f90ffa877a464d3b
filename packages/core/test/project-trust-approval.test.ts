import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectProjectConfigFiles, configHash } from "../src/config/project-config-files.js";
import {
  fileApproval,
  folderTrust,
  listTrustDecisions,
  loadConfig,
  loadCustomAgents,
  setFolderTrust,
  trustStoreFile,
} from "../src/index.js";
import { trustBox } from "./trust-box.js";

// A trust decision approves the project config as it is when the user trusts (direnv `allow` style): a file the agent
// adds or changes afterwards, in the folder or below it, counts as untrusted until the user trusts again.

const SANDBOX_ON = "[sandbox]\nenabled = true\n";
const SANDBOX_OFF = "[sandbox]\nenabled = false\n";

const box = () => trustBox("ct-approval-", SANDBOX_ON);

describe("trust records the content it approves", () => {
  it("records a sha256 of each project config in the folder and below (not node_modules, not skills)", async () => {
    const { work, env, write } = box();
    write("codetether.toml", SANDBOX_OFF);
    write("pkg/codetether.toml", "[agent]\nmax_steps = 9\n");
    write(".codetether/agents/rev.md", "---\nmodel: openai/o3\n---\nReview.\n");
    write(".codetether/commands/go.md", "Go.\n");
    write(".codetether/skills/s/SKILL.md", "skill\n");
    write("node_modules/dep/codetether.toml", SANDBOX_OFF);
    const entry = await setFolderTrust(work, "trusted", env);
    expect(entry.files).toEqual({
      [path.join(work, "codetether.toml")]: configHash(SANDBOX_OFF),
      [path.join(work, "pkg", "codetether.toml")]: configHash("[agent]\nmax_steps = 9\n"),
      [path.join(work, ".codetether", "agents", "rev.md")]: configHash(
        "---\nmodel: openai/o3\n---\nReview.\n",
      ),
      [path.join(work, ".codetether", "commands", "go.md")]: configHash("Go.\n"),
    });
    expect(listTrustDecisions(env)[0]?.files).toEqual(entry.files);
    // An untrusted decision approves nothing.
    expect((await setFolderTrust(work, "untrusted", env)).files).toBeUndefined();
  });

  it("a changed codetether.toml is untrusted (only tightens) until trusted again", async () => {
    const { work, env, write } = box();
    write("codetether.toml", "[agent]\nmax_steps = 9\n");
    await setFolderTrust(work, "trusted", env);
    expect(loadConfig({ cwd: work, env }).projectTrust).toMatchObject({ trusted: true, source: "store" });

    write("codetether.toml", `[agent]\nmax_steps = 9\n${SANDBOX_OFF}`);
    const changed = loadConfig({ cwd: work, env });
    expect(changed.config.sandbox.enabled).toBe(true);
    expect(changed.projectTrust).toMatchObject({
      trusted: false,
      source: "store",
      decision: "trusted",
      decidedFor: work,
      unapproved: { file: path.join(work, "codetether.toml"), reason: "changed" },
    });
    expect(changed.projectTrust.ignored.map((i) => i.key)).toEqual(["sandbox.enabled"]);
    // Tightening keys of the changed file still apply.
    expect(changed.config.agent.max_steps).toBe(9);

    await setFolderTrust(work, "trusted", env);
    const again = loadConfig({ cwd: work, env });
    expect(again.config.sandbox.enabled).toBe(false);
    expect(again.projectTrust.unapproved).toBeUndefined();
  });

  it("a codetether.toml new in a sub-folder of a trusted folder is untrusted; trusting the sub-folder approves it", async () => {
    const { work, env, write } = box();
    await setFolderTrust(work, "trusted", env);
    write("sub/codetether.toml", SANDBOX_OFF);
    const sub = path.join(work, "sub");
    const loaded = loadConfig({ cwd: sub, env });
    expect(loaded.config.sandbox.enabled).toBe(true);
    expect(loaded.projectTrust).toMatchObject({
      folder: sub,
      trusted: false,
      decidedFor: work,
      unapproved: { file: path.join(sub, "codetether.toml"), reason: "new" },
    });
    await setFolderTrust(sub, "trusted", env);
    expect(loadConfig({ cwd: sub, env }).config.sandbox.enabled).toBe(false);
    // Changed after the sub-folder was trusted: untrusted again.
    write("sub/codetether.toml", `${SANDBOX_OFF}# more\n`);
    expect(loadConfig({ cwd: sub, env }).projectTrust.unapproved?.reason).toBe("changed");
  });

  it("a sub-folder config that existed when the parent was trusted stays trusted until it changes", async () => {
    const { work, env, write } = box();
    write("sub/codetether.toml", SANDBOX_OFF);
    await setFolderTrust(work, "trusted", env);
    const sub = path.join(work, "sub");
    expect(loadConfig({ cwd: sub, env }).config.sandbox.enabled).toBe(false);
    write("sub/codetether.toml", `${SANDBOX_OFF}[agent]\nmax_steps = 3\n`);
    expect(loadConfig({ cwd: sub, env }).config.sandbox.enabled).toBe(true);
  });

  it("CODETETHER_TRUST_PROJECT=1 and trustProject: true still trust whatever is there", async () => {
    const { work, env, write } = box();
    await setFolderTrust(work, "trusted", env);
    write("codetether.toml", SANDBOX_OFF);
    expect(
      loadConfig({ cwd: work, env: { ...env, CODETETHER_TRUST_PROJECT: "1" } }).config.sandbox.enabled,
    ).toBe(false);
    expect(loadConfig({ cwd: work, env, trustProject: true }).config.sandbox.enabled).toBe(false);
  });
});

describe("a store written before content hashes (version 1 without files)", () => {
  it("is read as before; its trusted folders approve no file until trusted again", async () => {
    const { work, env, write } = box();
    write("codetether.toml", SANDBOX_OFF);
    const file = trustStoreFile(env);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const legacy = {
      version: 1,
      folders: {
        [work]: { decision: "trusted", at: "2026-01-01T00:00:00.000Z" },
        [path.join(work, "x")]: { decision: "untrusted", at: "2026-01-01T00:00:00.000Z" },
      },
    };
    fs.writeFileSync(file, JSON.stringify(legacy));
    const entry = folderTrust(work, env);
    expect(entry).toEqual({ folder: work, decision: "trusted", at: "2026-01-01T00:00:00.000Z" });
    expect(
      fileApproval(entry as NonNullable<typeof entry>, path.join(work, "codetether.toml"), SANDBOX_OFF),
    ).toBe("unrecorded");
    const loaded = loadConfig({ cwd: work, env });
    expect(loaded.config.sandbox.enabled).toBe(true);
    expect(loaded.projectTrust.unapproved).toEqual({
      file: path.join(work, "codetether.toml"),
      reason: "unrecorded",
    });

    // Trusting again keeps the other decisions and the version, adding the hashes.
    await setFolderTrust(work, "trusted", env);
    const store = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(store.version).toBe(1);
    expect(store.folders[path.join(work, "x")]).toEqual(legacy.folders[path.join(work, "x")]);
    expect(loadConfig({ cwd: work, env }).config.sandbox.enabled).toBe(false);
  });

  it("a damaged file list is reported, not trusted", () => {
    const { work, env } = box();
    const file = trustStoreFile(env);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({ version: 1, folders: { [work]: { decision: "trusted", at: "x", files: { a: 1 } } } }),
    );
    expect(() => folderTrust(work, env)).toThrow(/damaged/);
  });
});

describe("custom agents keep their model only with the approved content", () => {
  it("an agent added or changed after trust loses its model; an approved one keeps it", async () => {
    const { dir, work, env, write } = box();
    write(".codetether/agents/old.md", "---\nmodel: openai/o3\n---\nOld.\n");
    await setFolderTrust(work, "trusted", env);
    write(".codetether/agents/new.md", "---\nmodel: openai/o3\n---\nNew.\n");
    const dirs = {
      projectRoot: work,
      userConfigDir: path.join(dir, "config", "codetether"),
      projectTrusted: loadConfig({ cwd: work, env }).projectTrust.trustsFile,
    };
    const first = await loadCustomAgents(dirs);
    expect(first.agents.map((a) => [a.name, a.model])).toEqual([
      ["new", undefined],
      ["old", "openai/o3"],
    ]);
    expect(first.problems.join("\n")).toContain(
      `${path.join(work, ".codetether", "agents", "new.md")}: "model" ignored`,
    );

    write(".codetether/agents/old.md", "---\nmodel: openai/o3-pro\n---\nOld.\n");
    expect((await loadCustomAgents(dirs)).agents.find((a) => a.name === "old")?.model).toBeUndefined();
  });

  it("the walk at trust time is bounded and skips symlinked folders", () => {
    const { dir, work, write } = box();
    write("real/codetether.toml", SANDBOX_OFF);
    fs.symlinkSync(path.join(work, "real"), path.join(work, "link"));
    fs.symlinkSync(dir, path.join(work, "up"));
    const found = collectProjectConfigFiles(work);
    expect(found).toEqual({
      files: { [path.join(work, "real", "codetether.toml")]: configHash(SANDBOX_OFF) },
      complete: true,
    });
  });
});
