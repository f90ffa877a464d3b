import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { RuleGate, type Tool, type ToolContext, ToolRegistry, type ToolResult } from "@codetether/core";

/** A temp workspace and an isolated data dir (snapshots) for one test. */
export async function workspace(): Promise<string> {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "ct-tools-")));
  process.env.CODETETHER_DATA_DIR = path.join(root, ".data");
  const ws = path.join(root, "ws");
  await fs.mkdir(ws);
  return ws;
}

export function context(root: string, extra: Partial<ToolContext> = {}): ToolContext {
  return {
    cwd: root,
    workspaceRoot: root,
    signal: new AbortController().signal,
    sessionId: "ses_test",
    callId: `call_${Math.random().toString(36).slice(2, 8)}`,
    emit: () => {},
    ...extra,
  };
}

/** Runs a tool through a registry (zod validation + RuleGate), like the agent does. */
export async function run(
  tool: Tool,
  args: unknown,
  ctx: ToolContext,
  gate: RuleGate = new RuleGate(),
): Promise<ToolResult> {
  const registry = new ToolRegistry({ gate }).register(tool);
  return registry.execute({ id: ctx.callId, name: tool.id, arguments: JSON.stringify(args) }, ctx);
}

export async function write(root: string, rel: string, content: string | Uint8Array): Promise<string> {
  const abs = path.join(root, rel);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  await fs.writeFile(abs, content);
  return abs;
}
