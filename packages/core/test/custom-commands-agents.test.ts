import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  agentToolRegistry,
  defineTool,
  expandCommand,
  loadCustomAgents,
  loadCustomCommands,
  parseFrontMatter,
  RuleGate,
  ToolRegistry,
} from "../src/index.js";

async function tree(files: Record<string, string>) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-custom-"));
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
  return { project: path.join(dir, "project"), user: path.join(dir, "user") };
}

describe("front matter", () => {
  it("reads values, inline and dash lists, and indented maps", () => {
    const parsed = parseFrontMatter(
      '---\ndescription: "Review: a diff"\ntools: [read, grep]\nmore:\n  - a\n  - "b c"\npermissions:\n  bash: deny\n  write docs/**: ask\n---\nBody\n',
    );
    expect(parsed?.data).toEqual({
      description: "Review: a diff",
      tools: ["read", "grep"],
      more: ["a", "b c"],
      permissions: { bash: "deny", "write docs/**": "ask" },
    });
    expect(parsed?.body).toBe("Body\n");
    expect(() => parseFrontMatter("---\njust words\n---\nx")).toThrow(/line 2 is not "key: value"/);
  });
});

describe("custom commands", () => {
  it("loads user and project commands (project shadows user) and reports bad files", async () => {
    const dirs = await tree({
      "user/commands/review.md": "---\ndescription: user review\n---\nUser review of $ARGUMENTS\n",
      "user/commands/hello.md": "Say hello to $1 and $2.\n",
      "project/.codetether/commands/review.md":
        "---\ndescription: Review a file\nmodel: openai/gpt-4o\nagent: reviewer\n---\nReview $1 for $2 (all: $ARGUMENTS)\n",
      "project/.codetether/commands/empty.md": "---\ndescription: nothing\n---\n",
      "project/.codetether/commands/bad name.md": "x",
    });
    const { commands, problems } = await loadCustomCommands({
      projectRoot: dirs.project,
      userConfigDir: dirs.user,
    });
    expect(commands.map((c) => [c.name, c.source])).toEqual([
      ["hello", "user"],
      ["review", "project"],
    ]);
    expect(commands[1]).toMatchObject({
      description: "Review a file",
      model: "openai/gpt-4o",
      agent: "reviewer",
    });
    expect(problems.join("\n")).toMatch(/empty\.md: the command has no prompt/);
    expect(problems.join("\n")).toMatch(/bad name\.md: the name must be/);
    const userOnly = await loadCustomCommands({ userConfigDir: dirs.user });
    expect(userOnly.commands.find((c) => c.name === "review")?.source).toBe("user");
  });

  it("ignores a project command's model in an untrusted folder, saying so", async () => {
    const dirs = await tree({
      "project/.codetether/commands/pricey.md": "---\nmodel: openai/o3\n---\nDo it.\n",
    });
    const untrusted = await loadCustomCommands({
      projectRoot: dirs.project,
      userConfigDir: dirs.user,
      projectTrusted: false,
    });
    expect(untrusted.commands[0]?.model).toBeUndefined();
    expect(untrusted.commands[0]?.template).toBe("Do it.");
    expect(untrusted.problems.join()).toMatch(/"model" ignored: this folder is not trusted/);
    const trusted = await loadCustomCommands({
      projectRoot: dirs.project,
      userConfigDir: dirs.user,
      projectTrusted: true,
    });
    expect(trusted.commands[0]?.model).toBe("openai/o3");
  });

  it("expands $ARGUMENTS and $1…$9, quotes group, missing ones are empty, unused args are appended", () => {
    expect(expandCommand("Review $1 for $2 (all: $ARGUMENTS)", 'src/a.ts "race conditions"')).toBe(
      'Review src/a.ts for race conditions (all: src/a.ts "race conditions")',
    );
    expect(expandCommand("Fix $1 then $3.", "x")).toBe("Fix x then .");
    expect(expandCommand("Write tests.", "for parse()")).toBe("Write tests.\n\nfor parse()");
    expect(expandCommand("Write tests.", "")).toBe("Write tests.");
  });
});

describe("custom agents", () => {
  const tool = (id: string, kind: "read" | "write") =>
    defineTool({
      id,
      description: id,
      kind,
      parameters: z.object({ path: z.string().optional() }),
      paths: (a) => (a.path ? [a.path] : []),
      execute: async () => ({ output: `${id} ran` }),
    });
  const ctx = (root: string) => ({
    cwd: root,
    workspaceRoot: root,
    signal: new AbortController().signal,
    sessionId: "s",
    callId: "c",
    emit: () => {},
  });

  it("restricts tools to the allow-list and can only take permissions away", async () => {
    const dirs = await tree({
      "project/.codetether/agents/reviewer.md":
        "---\ndescription: Reviews code\nmodel: openai/gpt-4o-mini\ntools: [read, gr*]\npermissions:\n  read secret/**: deny\n  write: allow\n---\nYou review code.\n",
      "project/.codetether/agents/broken.md": "---\npermissions:\n  bash: maybe\n---\nx\n",
    });
    const { agents, problems } = await loadCustomAgents({
      projectRoot: dirs.project,
      userConfigDir: dirs.user,
    });
    expect(problems.join()).toMatch(/permission "bash" must be allow, ask or deny/);
    const reviewer = agents.find((a) => a.name === "reviewer");
    expect(reviewer).toMatchObject({
      description: "Reviews code",
      model: "openai/gpt-4o-mini",
      tools: ["read", "gr*"],
      systemPrompt: "You review code.",
      source: "project",
    });
    if (!reviewer) throw new Error("no reviewer");
    const base = new ToolRegistry({ gate: new RuleGate({ rules: [{ tool: "write", action: "deny" }] }) });
    base.register(tool("read", "read"), tool("grep", "read"), tool("write", "write"));
    const registry = agentToolRegistry(base, reviewer);
    expect(registry.ids().sort()).toEqual(["grep", "read"]);
    const root = dirs.project;
    const ok = await registry.execute({ id: "1", name: "read", arguments: '{"path":"a.txt"}' }, ctx(root));
    expect(ok.output).toBe("read ran");
    const denied = await registry.execute(
      { id: "2", name: "read", arguments: '{"path":"secret/k.txt"}' },
      ctx(root),
    );
    expect(denied.isError).toBe(true);
    expect(denied.output).toContain('the "reviewer" agent may not use read');
    // `write: allow` in the agent does not lift the user's deny (and write is not in its tools anyway).
    const all = agentToolRegistry(base, { ...reviewer, tools: undefined });
    const w = await all.execute({ id: "3", name: "write", arguments: "{}" }, ctx(root));
    expect(w.isError).toBe(true);
  });
});
