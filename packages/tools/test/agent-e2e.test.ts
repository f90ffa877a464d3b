import fs from "node:fs/promises";
import path from "node:path";
import { Agent, RuleGate, SessionStore } from "@codetether/core";
import {
  createScriptedProvider,
  type ScriptedCall,
  textReply as text,
  toolCallsReply,
} from "@codetether/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { createToolRegistry } from "../src/default-tools.js";
import { workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});

const calls = (...list: ScriptedCall[]) => toolCallsReply(list);

function toolResults(agent: Agent): string[] {
  return agent.session.messages
    .filter((m) => m.role === "tool")
    .flatMap((m) => m.content.flatMap((p) => (p.type === "tool_result" ? [p.content] : [])));
}

describe("tools driven by the core agent loop", () => {
  it("patches, runs, plans, tracks todos and undoes through one registry and gate", async () => {
    await write(ws, "src/math.ts", "export function add(a: number, b: number) {\n  return a - b;\n}\n");
    await write(ws, ".env", "SECRET=1\n");
    const gate = new RuleGate({ rules: [{ tool: "*", path: ".env*", action: "deny" }] });
    const registry = createToolRegistry({ gate, exclude: ["question"] });
    const patch = [
      "*** Begin Patch",
      "*** Update File: src/math.ts",
      "@@ export function add(a: number, b: number) {",
      "-  return a - b;",
      "+  return a + b;",
      "*** End Patch",
    ].join("\n");
    const provider = createScriptedProvider([
      calls(["t1", "todowrite", { todos: [{ id: "1", content: "fix add", status: "in_progress" }] }]),
      calls(["p1", "plan_enter", { goal: "fix add" }]),
      calls(["w1", "apply_patch", { patch }]),
      calls(["p2", "plan_exit", { plan: "flip the sign" }]),
      calls(["w2", "apply_patch", { patch }], ["r1", "read", { path: ".env" }]),
      calls(["b1", "bash", { command: "grep -c 'a + b' src/math.ts" }]),
      calls(["u1", "undo", {}]),
      text("done"),
    ]);
    const store = new SessionStore(path.join(process.env.CODETETHER_DATA_DIR!, "sessions"));
    const agent = new Agent({
      provider,
      model: "m",
      tools: registry,
      cwd: ws,
      store,
      rawSystemPrompt: "sys",
      services: { gate },
    });
    const end = await agent.runToEnd("fix the add function");
    expect(end).toMatchObject({ type: "done", text: "done" });
    const results = toolResults(agent);
    expect(results[1]).toContain("Plan mode is on");
    expect(results[2]).toContain("not available in plan mode");
    expect(results[4]).toContain("M src/math.ts");
    expect(results[5]).toContain("Permission denied");
    expect(results[5]).not.toContain("SECRET");
    expect(results[6]).toContain("1\n\n[exit code 0]");
    expect(results[7]).toContain("Undid 1 change");
    expect(await fs.readFile(path.join(ws, "src/math.ts"), "utf8")).toContain("return a - b;");
    const saved = await store.load(agent.session.id);
    expect(saved.metadata.todos).toEqual([
      { id: "1", content: "fix add", status: "in_progress", priority: "medium" },
    ]);
    expect(saved.metadata.plan).toBe("flip the sign");
    expect(provider.requests[0]!.tools!.map((t) => t.name)).not.toContain("question");
  });
});
