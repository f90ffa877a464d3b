import type { AgentHooks, ModelInfo, Provider, ToolRegistry } from "@codetether/core";
import type { CommandSandbox } from "../run/quality-checks.js";

/** Streams a command writes to (process.stdout/stderr in the CLI, buffers in tests). */
export interface CommandIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown };
}

/** What the CLI supplies: model resolution (from config and `-m`), tools, cwd, Ctrl+C signal. */
export interface RalphCommandDeps {
  resolveModel(model?: string): Promise<{ provider: Provider; model: string; modelInfo?: ModelInfo }>;
  tools: ToolRegistry;
  cwd: string;
  signal?: AbortSignal;
  /** The configured hooks; the story agents' tool calls are held to their tool hooks, as the ralph tool's are. */
  hooks?: AgentHooks;
  /** The sandbox `bash` runs in (when it is on): the quality checks run in it too. */
  sandbox?: CommandSandbox;
}
