import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type ToolContext, ToolRegistry } from "@codetether/core";
import { createScriptedProvider, textReply as text } from "@codetether/testing";
import { describe, expect, it } from "vitest";
import {
  createPrdCommand,
  createPrdTool,
  createRalphTool,
  ralphStatusCommand,
  runRalphCommand,
} from "../src/index.js";

const PRD = {
  project: "p",
  feature: "f",
  user_stories: [
    { id: "A", title: "a", passes: true },
    { id: "B", title: "b", depends_on: ["A"] },
  ],
};

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-ralph-tools-"));
  const ctx: ToolContext = {
    cwd: dir,
    workspaceRoot: dir,
    signal: new AbortController().signal,
    sessionId: "s",
    callId: "c",
    emit() {},
  };
  const provider = createScriptedProvider(() =>
    text(
      JSON.stringify({
        user_stories: [
          { id: "US-1", title: "Login form" },
          { id: "US-2", title: "Session", depends_on: ["US-1"] },
        ],
      }),
    ),
  );
  const tools = new ToolRegistry().register(createPrdTool({ provider, model: "m" }));
  tools.register(createRalphTool({ provider, model: "m", tools }));
  const call = (name: string, args: unknown) =>
    tools.execute({ id: "1", name, arguments: JSON.stringify(args) }, ctx);
  return { dir, call };
}

const io = () => {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    },
  };
};

describe("prd and ralph tools", () => {
  it("validates, saves, analyzes and drafts PRDs", async () => {
    const { dir, call } = setup();
    const bad = await call("prd", {
      action: "validate",
      content: JSON.stringify({ ...PRD, user_stories: [{ id: "A", title: "a", depends_on: ["Q"] }] }),
    });
    expect(bad.isError).toBe(true);
    expect(bad.output).toMatch(/story "A" field "depends_on": unknown story id "Q"/);
    expect((await call("prd", { action: "validate", content: "{" })).output).toMatch(/not valid JSON/);
    expect(
      (await call("prd", { action: "save", path: "prd.json", content: JSON.stringify(PRD) })).output,
    ).toMatch(/Saved prd.json \(2 stories\)/);
    expect((await call("prd", { action: "validate", path: "prd.json" })).output).toMatch(
      /Valid PRD: 2 stories, 1 passing/,
    );
    expect((await call("prd", { action: "analyze", path: "prd.json" })).output).toMatch(
      /1\/2 stories pass[\s\S]*next: B[\s\S]*\[x\] A/,
    );
    const draft = await call("prd", {
      action: "generate",
      feature: "Login",
      project_name: "shop",
      description: "users log in",
    });
    expect(JSON.parse(draft.output).user_stories.map((s: { id: string }) => s.id)).toEqual(["US-1", "US-2"]);
    expect(fs.readdirSync(dir)).toEqual(["prd.json"]);
  });

  it("refuses paths outside the workspace", async () => {
    const { call } = setup();
    const escaped = await call("prd", {
      action: "save",
      path: "../../etc/evil.json",
      content: JSON.stringify(PRD),
    });
    expect(escaped.isError).toBe(true);
    expect(escaped.output).toMatch(/outside the workspace/);
    expect((await call("ralph", { action: "status", prd_path: "/etc/passwd" })).output).toMatch(
      /outside the workspace/,
    );
  });

  it("ralph status reports per-story progress", async () => {
    const { dir, call } = setup();
    fs.writeFileSync(path.join(dir, "prd.json"), JSON.stringify(PRD));
    expect((await call("ralph", { action: "status" })).output).toMatch(/\[ \] B {2}P1 {2}b/);
  });
});

describe("ralph CLI logic", () => {
  it("create-prd writes a template, refuses to overwrite, and status prints it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-ralph-cli-"));
    const a = io();
    expect(await createPrdCommand({ feature: "Dark mode", projectName: "app" }, { cwd: dir }, a.io)).toBe(0);
    expect(a.out.stdout).toMatch(/Wrote .*prd.json with 1 stories \(branch feature\/dark-mode\)/);
    const b = io();
    expect(await createPrdCommand({ feature: "Dark mode", projectName: "app" }, { cwd: dir }, b.io)).toBe(1);
    expect(b.out.stderr).toMatch(/already exists; pass overwrite \(--force\)/);
    const c = io();
    expect(await ralphStatusCommand({ json: true }, { cwd: dir }, c.io)).toBe(0);
    expect(JSON.parse(c.out.stdout)).toMatchObject({ project: "app", total: 1, passed: 0, next: "US-001" });
    const d = io();
    expect(await ralphStatusCommand({ prd: "missing.json" }, { cwd: dir }, d.io)).toBe(1);
    expect(d.out.stderr).toMatch(/No PRD at .*missing.json/);
  });

  it("run prints progress lines or JSON events and exits by outcome", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-ralph-run-"));
    fs.writeFileSync(
      path.join(dir, "prd.json"),
      JSON.stringify({
        project: "p",
        feature: "f",
        quality_checks: { test: "exit 0" },
        user_stories: [{ id: "A", title: "a" }],
      }),
    );
    const provider = createScriptedProvider(() => text("done"));
    const deps = {
      resolveModel: async () => ({ provider, model: "m" }),
      tools: new ToolRegistry(),
      cwd: dir,
    };
    const a = io();
    expect(await runRalphCommand({ json: true }, deps, a.io)).toBe(0);
    const events = a.out.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["started", "iteration-start", "check", "story-end", "complete"]),
    );
    expect(events.some((e) => e.type === "agent" && JSON.stringify(e).includes("text-delta"))).toBe(false);
    fs.writeFileSync(
      path.join(dir, "prd.json"),
      JSON.stringify({
        project: "p",
        feature: "f",
        quality_checks: { test: "echo broken >&2; exit 4" },
        user_stories: [{ id: "B", title: "b" }],
      }),
    );
    const b = io();
    expect(await runRalphCommand({ maxIterations: 1 }, deps, b.io)).toBe(1);
    expect(b.out.stdout).toMatch(
      /iteration 2: B b\n {2}check test: FAIL \(exit 4\)\n {2}B not passed: Check "test"/,
    );
    const c = io();
    expect(await runRalphCommand({ prd: "nope.json" }, deps, c.io)).toBe(1);
    expect(c.out.stderr).toMatch(/No PRD at/);
  });
});
