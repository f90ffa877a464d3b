import fs from "node:fs/promises";
import path from "node:path";
import { createSession, RuleGate } from "@codetether/core";
import { beforeEach, describe, expect, it } from "vitest";
import { editTool } from "../src/edit.js";
import { invalidTool } from "../src/invalid.js";
import { planEnterTool } from "../src/plan_enter.js";
import { planExitTool } from "../src/plan_exit.js";
import { questionTool } from "../src/question.js";
import { todoreadTool } from "../src/todoread.js";
import { todowriteTool } from "../src/todowrite.js";
import { undoTool } from "../src/undo.js";
import { SnapshotStore } from "../src/util/snapshot-store.js";
import { writeTool } from "../src/write.js";
import { context, run, workspace, write } from "./helpers.js";

let ws: string;
beforeEach(async () => {
  ws = await workspace();
});

describe("todoread / todowrite", () => {
  it("keeps the list in the session metadata", async () => {
    const session = createSession({ cwd: ws });
    const ctx = context(ws, { services: { session } });
    const todos = [
      { id: "1", content: "write tests", status: "in_progress", priority: "high" },
      { id: "2", content: "ship", status: "pending" },
    ];
    const res = await run(todowriteTool, { todos }, ctx);
    expect(res.output).toContain("[~] 1. write tests (high)");
    expect(session.metadata.todos).toHaveLength(2);
    const read = await run(todoreadTool, {}, ctx);
    expect(read.output).toContain("[ ] 2. ship");
    expect(read.output).toContain("(2 open of 2)");
  });
  it("persists per session without a session object, and rejects bad lists", async () => {
    await run(todowriteTool, { todos: [{ id: "a", content: "x", status: "completed" }] }, context(ws));
    expect((await run(todoreadTool, {}, context(ws))).output).toContain("[x] a. x");
    const other = await run(todoreadTool, {}, context(ws, { sessionId: "ses_other" }));
    expect(other.output).toContain("(no todos)");
    const dup = await run(
      todowriteTool,
      {
        todos: [
          { id: "a", content: "x", status: "pending" },
          { id: "a", content: "y", status: "pending" },
        ],
      },
      context(ws),
    );
    expect(dup.output).toContain("Duplicate todo id");
    const bad = await run(todowriteTool, { todos: [{ id: "a", content: "x", status: "done" }] }, context(ws));
    expect(bad.isError).toBe(true);
    expect(bad.output).toContain("todos.0.status");
  });
});

describe("question", () => {
  it("asks through ctx.ask", async () => {
    const asked: unknown[] = [];
    const ctx = context(ws, {
      ask: async (q) => {
        asked.push(q);
        return "blue";
      },
    });
    const res = await run(questionTool, { question: "Color?", options: ["red", "blue"] }, ctx);
    expect(res.output).toBe("The user answered: blue");
    expect(asked).toEqual([{ question: "Color?", options: ["red", "blue"] }]);
  });
  it("is refused with a clear message when non-interactive", async () => {
    const res = await run(questionTool, { question: "Color?" }, context(ws));
    expect(res.isError).toBe(true);
    expect(res.output).toContain("non-interactive");
    expect((await run(questionTool, {}, context(ws))).isError).toBe(true);
  });
});

describe("plan mode", () => {
  it("blocks write and exec tools in the registry until plan_exit", async () => {
    const gate = new RuleGate();
    const session = createSession({ cwd: ws });
    const ctx = context(ws, { services: { gate, session } });
    expect((await run(planEnterTool, { goal: "refactor" }, ctx, gate)).output).toContain("Plan mode is on");
    expect(gate.planMode).toBe(true);
    expect(session.metadata.planMode).toBe(true);
    const blocked = await run(writeTool, { path: "x.txt", content: "x" }, ctx, gate);
    expect(blocked.isError).toBe(true);
    expect(blocked.output).toContain("plan mode");
    await expect(fs.stat(path.join(ws, "x.txt"))).rejects.toThrow();
    const exit = await run(planExitTool, { plan: "1. do it" }, ctx, gate);
    expect(exit.output).toContain("1. do it");
    expect(gate.planMode).toBe(false);
    expect((await run(writeTool, { path: "x.txt", content: "x" }, ctx, gate)).isError).toBeFalsy();
  });
  it("explains when there is no gate, or when not in plan mode", async () => {
    expect((await run(planEnterTool, {}, context(ws))).output).toContain("services.gate");
    const gate = new RuleGate();
    expect((await run(planExitTool, { plan: "p" }, context(ws, { services: { gate } }))).output).toContain(
      "Not in plan mode",
    );
    expect((await run(planExitTool, {}, context(ws, { services: { gate } }))).isError).toBe(true);
  });
});

describe("undo", () => {
  it("restores edited files and deletes created ones, newest first", async () => {
    const file = await write(ws, "a.txt", "v1\n");
    const ctx = () => context(ws);
    await run(editTool, { path: "a.txt", oldString: "v1", newString: "v2" }, ctx());
    await run(writeTool, { path: "new/b.txt", content: "b" }, ctx());
    await run(writeTool, { path: "a.txt", content: "v3\n" }, ctx());
    const preview = await run(undoTool, { steps: 2, preview: true }, ctx());
    expect(preview.output).toContain("write: a.txt");
    expect(preview.output).toContain("new/b.txt (created)");
    expect(await fs.readFile(file, "utf8")).toBe("v3\n");
    const two = await run(undoTool, { steps: 2 }, ctx());
    expect(two.output).toContain("Undid 2 changes");
    expect(await fs.readFile(file, "utf8")).toBe("v2\n");
    await expect(fs.stat(path.join(ws, "new/b.txt"))).rejects.toThrow();
    await run(undoTool, {}, ctx());
    expect(await fs.readFile(file, "utf8")).toBe("v1\n");
    const empty = await run(undoTool, {}, ctx());
    expect(empty.isError).toBe(true);
    expect(empty.output).toContain("nothing to undo");
    expect((await run(undoTool, { steps: 0 }, ctx())).isError).toBe(true);
  });
  it("keeps snapshots per session and never uses git", async () => {
    await write(ws, "a.txt", "v1\n");
    await run(writeTool, { path: "a.txt", content: "v2\n" }, context(ws, { sessionId: "ses_one" }));
    const other = await run(undoTool, {}, context(ws, { sessionId: "ses_two" }));
    expect(other.output).toContain("nothing to undo");
    const dataDir = process.env.CODETETHER_DATA_DIR!;
    expect(await fs.readdir(path.join(dataDir, "snapshots"))).toEqual(["ses_one"]);
    await expect(fs.stat(path.join(ws, ".git"))).rejects.toThrow();
  });
});

describe("snapshot store", () => {
  it("keeps a bounded history and prunes blobs nobody references", async () => {
    const dir = path.join(process.env.CODETETHER_DATA_DIR!, "snaps");
    const store = new SnapshotStore(dir, { maxChanges: 2 });
    const file = await write(ws, "f.txt", "v0");
    for (let i = 1; i <= 4; i++) {
      await store.record("ses_x", "write", `c${i}`, [file]);
      await fs.writeFile(file, `v${i}`);
    }
    const changes = await store.list("ses_x");
    expect(changes.map((c) => c.callId)).toEqual(["c3", "c4"]);
    expect(await fs.readdir(path.join(dir, "ses_x", "blobs"))).toHaveLength(2);
    for (const change of await store.pop("ses_x", 2)) await store.restore("ses_x", change);
    expect(await fs.readFile(file, "utf8")).toBe("v2");
  });
  it("records concurrent edits from one batch consistently", async () => {
    const files = await Promise.all([1, 2, 3, 4, 5].map((i) => write(ws, `f${i}.txt`, `old${i}`)));
    await Promise.all(
      files.map((_, i) => run(writeTool, { path: `f${i + 1}.txt`, content: `new${i + 1}` }, context(ws))),
    );
    const res = await run(undoTool, { steps: 5 }, context(ws));
    expect(res.output).toContain("Undid 5 changes");
    for (const [i, f] of files.entries()) expect(await fs.readFile(f, "utf8")).toBe(`old${i + 1}`);
  });
  it("rejects session ids that could escape the snapshot dir", async () => {
    const res = await run(
      writeTool,
      { path: "a.txt", content: "x" },
      context(ws, { sessionId: "../../evil" }),
    );
    expect(res.isError).toBe(true);
    expect(res.output).toContain("Invalid session id");
    await expect(fs.stat(path.join(ws, "a.txt"))).rejects.toThrow();
  });
});

describe("invalid", () => {
  it("suggests the closest tool names", async () => {
    const { ToolRegistry } = await import("@codetether/core");
    const registry = new ToolRegistry().register(writeTool, editTool, invalidTool);
    const res = await run(invalidTool, { tool: "wirte" }, context(ws, { services: { registry } }));
    expect(res.isError).toBe(true);
    expect(res.output).toContain('Unknown tool "wirte"');
    expect(res.output).toContain("Did you mean: write");
    expect(res.output).not.toContain("invalid,");
  });
});
