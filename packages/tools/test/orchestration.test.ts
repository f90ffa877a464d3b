import fs from "node:fs/promises";
import path from "node:path";
import { Agent, RuleGate, SessionStore } from "@codetether/core";
import { createScriptedProvider, textReply as text, toolCallReply as toolCall } from "@codetether/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { createToolRegistry } from "../src/default-tools.js";
import { context, workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});

const exec = (
  registry: ReturnType<typeof createToolRegistry>,
  name: string,
  args: unknown,
  ctx = context(ws),
) => registry.execute({ id: ctx.callId, name, arguments: JSON.stringify(args) }, ctx);

describe("createToolRegistry", () => {
  it("registers every built-in tool with a kind and a model-facing description", () => {
    const registry = createToolRegistry();
    expect(registry.ids().sort()).toEqual(
      [
        "apply_patch",
        "bash",
        "batch",
        "codesearch",
        "edit",
        "glob",
        "grep",
        "image",
        "invalid",
        "list",
        "multiedit",
        "plan_enter",
        "plan_exit",
        "question",
        "read",
        "skill",
        "task",
        "todoread",
        "todowrite",
        "undo",
        "webfetch",
        "websearch",
        "write",
      ].sort(),
    );
    for (const tool of registry.list()) expect(tool.description.length).toBeGreaterThan(40);
    const kinds = Object.fromEntries(registry.list().map((t) => [t.id, t.kind]));
    expect(kinds).toMatchObject({ read: "read", write: "write", edit: "write", bash: "exec", task: "agent" });
    expect(registry.definitions().every((d) => d.parameters.type === "object")).toBe(true);
    expect(createToolRegistry({ exclude: ["question"] }).get("question")).toBeUndefined();
  });
});

describe("batch", () => {
  it("runs calls concurrently through the registry, each permission-checked", async () => {
    await write(ws, "a.txt", "alpha\n");
    const gate = new RuleGate({ rules: [{ tool: "write", action: "deny" }] });
    const registry = createToolRegistry({ gate });
    const res = await exec(registry, "batch", {
      calls: [
        { tool: "read", args: { path: "a.txt" } },
        { tool: "read", args: { path: "missing.txt" } },
        { tool: "write", args: { path: "b.txt", content: "x" } },
        { tool: "nope", args: {} },
      ],
    });
    expect(res.output).toContain("### 1. read\n   1| alpha");
    expect(res.output).toContain("### 2. read (error)\nFile not found");
    expect(res.output).toContain("### 3. write (error)\nPermission denied");
    expect(res.output).toContain('Unknown tool "nope"');
    expect(res.output).toContain("(1 succeeded, 3 failed)");
    await expect(fs.stat(path.join(ws, "b.txt"))).rejects.toThrow();
  });
  it("refuses nested batch and empty batches", async () => {
    const registry = createToolRegistry();
    const nested = await exec(registry, "batch", { calls: [{ tool: "batch", args: { calls: [] } }] });
    expect(nested.isError).toBe(true);
    expect(nested.output).toContain("nested batch");
    expect((await exec(registry, "batch", { calls: [] })).isError).toBe(true);
  });
});

describe("task", () => {
  it("runs a real sub-agent with its own session and a tool subset, returning its answer", async () => {
    const provider = createScriptedProvider([
      toolCall("c1", "task", { description: "write the file", prompt: "Create out.txt containing hi" }),
      toolCall("s1", "write", { path: "out.txt", content: "hi" }),
      text("sub-agent wrote out.txt"),
      text("all done"),
    ]);
    const store = new SessionStore(path.join(process.env.CODETETHER_DATA_DIR!, "sessions"));
    // The sub-agent writes: this host approves every call (the default gate would refuse it, nobody can answer).
    const registry = createToolRegistry({ gate: new RuleGate({ autoApprove: "all" }) });
    const agent = new Agent({
      provider,
      model: "m",
      tools: registry,
      cwd: ws,
      store,
      rawSystemPrompt: "sys",
    });
    const end = await agent.runToEnd("do it");
    expect(end).toMatchObject({ type: "done", text: "all done" });
    expect(await fs.readFile(path.join(ws, "out.txt"), "utf8")).toBe("hi");
    const toolMessage = agent.session.messages.find((m) => m.role === "tool");
    expect(JSON.stringify(toolMessage)).toContain("sub-agent wrote out.txt");
    const subTools = provider.requests[1]!.tools!.map((t) => t.name);
    expect(subTools).toContain("write");
    expect(subTools).not.toContain("task");
    expect(subTools).not.toContain("question");
    expect(provider.requests[1]!.messages.some((m) => JSON.stringify(m).includes("do it"))).toBe(false);
    const sessions = await store.list();
    expect(sessions).toHaveLength(2);
    const sub = await store.load(sessions.find((s) => s.id !== agent.session.id)!.id);
    expect(sub.metadata.parentSessionId).toBe(agent.session.id);
    expect(sub.metadata.taskDescription).toBe("write the file");
  });
  it("restricts tools, and fails clearly without a provider or with unknown tools", async () => {
    const registry = createToolRegistry();
    const bare = await exec(registry, "task", { description: "x", prompt: "y" });
    expect(bare.isError).toBe(true);
    expect(bare.output).toContain("no provider/model");
    const provider = createScriptedProvider([text("done")]);
    const withProvider = createToolRegistry({ task: { provider, model: "m" } });
    const unknown = await exec(withProvider, "task", {
      description: "x",
      prompt: "y",
      tools: ["read", "task"],
    });
    expect(unknown.output).toContain("Tools not available to a sub-agent: task");
    const ok = await exec(withProvider, "task", { description: "x", prompt: "y", tools: ["read"] });
    expect(ok.output).toBe("done");
    expect(provider.requests[0]!.tools!.map((t) => t.name)).toEqual(["read"]);
    expect((await exec(withProvider, "task", { prompt: "y" })).isError).toBe(true);
  });
});

describe("createToolRegistry without a gate", () => {
  it("uses the safe default: read-only tools run, write and exec tools are refused, never allow-all", async () => {
    const root = await workspace();
    const registry = createToolRegistry({ exclude: ["question"] });
    const ctx = context(root);
    const call = (name: string, args: unknown) => ({ id: name, name, arguments: JSON.stringify(args) });
    const read = await registry.execute(call("list", { path: "." }), ctx);
    expect(read.isError ?? false).toBe(false);
    const written = await registry.execute(call("write", { path: "x.txt", content: "x" }), ctx);
    expect(written.isError).toBe(true);
    expect(written.output).toMatch(/needs approval/);
    await expect(fs.access(path.join(root, "x.txt"))).rejects.toThrow();
    const ran = await registry.execute(call("bash", { command: "touch y.txt", description: "t" }), ctx);
    expect(ran.isError).toBe(true);
    await expect(fs.access(path.join(root, "y.txt"))).rejects.toThrow();
  });
});
