import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, type ChatRequest, type Provider, RuleGate, type StreamChunk } from "@codetether/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToolRegistry, type LoadedMcpTools, LspManager, loadMcpTools } from "../src/index.js";

/** The agent loop drives lsp and an MCP server tool like a model would, through a scripted provider. */
const fixture = fileURLToPath(new URL("./fixtures/lsp/ts-project", import.meta.url));
const binDir = fileURLToPath(new URL("../node_modules/.bin", import.meta.url));
const serverScript = fileURLToPath(new URL("./fixtures/mcp/stdio-server.mjs", import.meta.url));

let root: string;
let lsp: LspManager;
let mcp: LoadedMcpTools;

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ct-agent-")));
  await fs.cp(fixture, root, { recursive: true });
  process.env.CODETETHER_DATA_DIR = path.join(root, ".data");
  lsp = new LspManager({ extraBinDirs: [binDir] });
  mcp = await loadMcpTools({
    mcp: { servers: { demo: { command: process.execPath, args: [serverScript] } } },
  });
});

afterAll(async () => {
  await Promise.all([lsp?.dispose(), mcp?.manager.close()]);
  if (root) await fs.rm(root, { recursive: true, force: true });
});

function scriptedProvider(requests: ChatRequest[]): Provider {
  return {
    id: "scripted",
    listModels: async () => [],
    async *stream(request: ChatRequest): AsyncIterable<StreamChunk> {
      requests.push(request);
      const toolResults = request.messages
        .filter((m) => m.role === "tool")
        .flatMap((m) => m.content)
        .flatMap((part) => (part.type === "tool_result" ? [part.content] : []));
      if (toolResults.length === 0) {
        const calls = [
          {
            id: "c1",
            name: "lsp",
            args: { action: "definition", file_path: "src/main.ts", line: 5, column: 45 },
          },
          { id: "c2", name: "demo_add", args: { a: 40, b: 2 } },
        ];
        for (const call of calls) {
          yield { type: "tool-call-start", id: call.id, name: call.name };
          yield { type: "tool-call-delta", id: call.id, argumentsDelta: JSON.stringify(call.args) };
          yield { type: "tool-call-end", id: call.id };
        }
        yield { type: "finish", reason: "tool_calls" };
        return;
      }
      yield { type: "text-delta", text: `Results:\n${toolResults.join("\n---\n")}` };
      yield { type: "finish", reason: "stop" };
    },
  };
}

describe("agent loop with lsp and mcp tools", () => {
  it("calls lsp definition and an MCP tool and sees their results", async () => {
    // This host approves every call (without a gate, MCP tools would ask and be refused).
    const registry = createToolRegistry({
      gate: new RuleGate({ autoApprove: "all" }),
      lsp,
      extraTools: mcp.tools,
      exclude: ["question"],
    });
    const requests: ChatRequest[] = [];
    const agent = new Agent({
      provider: scriptedProvider(requests),
      model: "m",
      tools: registry,
      cwd: root,
      workspaceRoot: root,
      rawSystemPrompt: "test",
      maxSteps: 4,
    });
    const final = await agent.runToEnd("Where is add defined, and what is 40 + 2?");
    expect(final.type).toBe("done");
    const names = requests[0]!.tools!.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["lsp", "demo_add", "webfetch", "websearch"]));
    expect(requests[0]!.tools!.find((t) => t.name === "demo_add")!.parameters).toMatchObject({
      required: ["a", "b"],
    });
    const answer = agent.session.messages.at(-1)!;
    const text = answer.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
    expect(text).toContain("src/math.ts:2:17: export function add(a: number, b: number): number {");
    expect(text).toContain("42");
  });
});
