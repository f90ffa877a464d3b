import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  Agent,
  defineTool,
  type ModelInfo,
  type PermissionRule,
  type Provider,
  ProviderRegistry,
  RuleGate,
  SessionStore,
  type StreamChunk,
  ToolRegistry,
} from "@codetether/core";
import { z } from "zod";
import { TuiController } from "../src/state/controller.js";
import { PromptBridge } from "../src/state/prompt-bridge.js";

/** An in-memory provider playing scripted answers (each answer is a list of stream chunks). */
export function scriptedProvider(
  id: string,
  answers: StreamChunk[][],
  models: string[] = ["m1", "m2"],
): Provider {
  let turn = 0;
  return {
    id,
    async listModels(): Promise<ModelInfo[]> {
      return models.map((m) => ({ id: m, contextWindow: 1000 }) as ModelInfo);
    },
    async *stream(_req, signal) {
      const chunks = answers[turn++] ?? [
        { type: "text-delta", text: "(no more answers)" },
        { type: "finish", reason: "stop" },
      ];
      for (const chunk of chunks) {
        if (signal?.aborted) throw signal.reason;
        if (chunk.type === "text-delta" && chunk.text === "<hang>") {
          await new Promise((_r, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
        }
        yield chunk;
      }
    },
  };
}

export async function makeHarness(answers: StreamChunk[][], rules: PermissionRule[] = []) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-tui-"));
  const bridge = new PromptBridge();
  const gate = new RuleGate({ rules, prompt: bridge.permission });
  const tools = new ToolRegistry({ gate });
  tools.register(
    defineTool({
      id: "write",
      kind: "write",
      description: "write a file",
      parameters: z.object({ path: z.string(), content: z.string() }),
      paths: (a) => [a.path],
      async execute(args, ctx) {
        await fs.writeFile(path.resolve(ctx.cwd, args.path), args.content);
        return { output: `wrote ${args.path}` };
      },
    }),
  );
  tools.register(
    defineTool({
      id: "ask_user",
      kind: "other",
      description: "ask the user",
      parameters: z.object({ question: z.string(), options: z.array(z.string()).optional() }),
      async execute(args, ctx) {
        if (!ctx.ask) return { output: "no ask", isError: true };
        const answer = await ctx.ask({
          question: args.question,
          ...(args.options ? { options: args.options } : {}),
        });
        return { output: `user said: ${answer}` };
      },
    }),
  );
  const registry = new ProviderRegistry()
    .register(scriptedProvider("fake", answers))
    .register(scriptedProvider("other", [], ["big"]));
  const store = new SessionStore(path.join(dir, "sessions"));
  const controller = new TuiController({
    store,
    registry,
    bridge,
    initialModel: "fake/m1",
    createAgent: (input) =>
      new Agent({ ...input, tools, cwd: dir, store, rawSystemPrompt: "test", ask: bridge.ask }),
  });
  return { dir, bridge, controller, store };
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
