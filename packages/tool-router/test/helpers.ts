import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { CollectedResponse, ToolDefinition } from "@codetether/core";
import { writeTinyGguf } from "@codetether/testing";
import { loadLlamaCppModel, type RouterModelLoader, type ToolRouterConfig } from "../src/index.js";

export async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "ct-router-"));
}

/** FunctionGemma's control tokens beyond Gemma's turn markers. */
export const FUNCTION_GEMMA_SPECIALS = [
  "<start_function_declaration>",
  "<end_function_declaration>",
  "<start_function_call>",
  "<end_function_call>",
  "<start_function_response>",
  "<end_function_response>",
  "<escape>",
];

/** A tiny random-weight gemma3 GGUF (~0.4 MB) with FunctionGemma's control tokens that node-llama-cpp runs offline. */
export async function tinyModel(dir: string, seed = 42, ctx = 2048): Promise<string> {
  const file = path.join(dir, `tiny-${seed}-${ctx}.gguf`);
  await writeTinyGguf(file, {
    seed,
    ctx,
    extraWords: ["write", "content", "pattern", "notes", "call:"],
    extraSpecialTokens: FUNCTION_GEMMA_SPECIALS,
  });
  return file;
}

/** The real node-llama-cpp loader, counting its calls. */
export function countingLoader(): RouterModelLoader & { calls: number } {
  const loader = Object.assign(
    async (options: Parameters<RouterModelLoader>[0]) => {
      loader.calls++;
      return loadLlamaCppModel(options);
    },
    { calls: 0 },
  );
  return loader;
}

export function settings(modelPath: string, over: Partial<ToolRouterConfig> = {}): ToolRouterConfig {
  return {
    enabled: true,
    modelPath,
    arch: "gemma3",
    device: "cpu",
    maxTokens: 512,
    temperature: 0.8,
    contextSize: undefined,
    maxTools: 8,
    threads: 0,
    offline: false,
    ...over,
  };
}

export function textResponse(text: string): CollectedResponse {
  return {
    message: { role: "assistant", content: [{ type: "text", text }] },
    usage: { promptTokens: 0, completionTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    finishReason: "stop",
  };
}

export const writeTool: ToolDefinition = {
  name: "write",
  description: "Write a file",
  parameters: {
    type: "object",
    properties: { path: { type: "string", minLength: 1 }, content: { type: "string" } },
    required: ["path", "content"],
    additionalProperties: false,
  },
};

export const grepTool: ToolDefinition = {
  name: "grep",
  description: "Search files",
  parameters: {
    type: "object",
    properties: {
      pattern: { type: "string", minLength: 1, maxLength: 20 },
      limit: { type: "integer" },
      mode: { type: "string", enum: ["files", "lines", "count"] },
    },
    required: ["pattern"],
  },
};

export const todoTool: ToolDefinition = {
  name: "todo",
  description: "Replace the todo list",
  parameters: {
    type: "object",
    properties: {
      items: {
        type: "array",
        maxItems: 3,
        items: {
          type: "object",
          properties: { text: { type: "string", maxLength: 12 }, done: { type: "boolean" } },
          required: ["text", "done"],
        },
      },
      note: { anyOf: [{ type: "string", maxLength: 8 }, { type: "null" }] },
    },
    required: ["items"],
  },
};
