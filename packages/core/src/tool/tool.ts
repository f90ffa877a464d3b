import type { z } from "zod";
import type { ToolMedia } from "../messages.js";

/** What a tool does, so permissions, plan mode and `--auto-approve safe` can reason about it. */
export type ToolKind = "read" | "write" | "exec" | "network" | "agent" | "other";

/** Progress reported by a running tool (shown by UIs; not sent to the model). */
export interface ToolProgressEvent {
  type: "progress" | "output";
  text: string;
  data?: Record<string, unknown>;
}

/** A question a tool asks the user through the host UI (`question` tool, permission prompts). */
export interface UserQuestion {
  question: string;
  options?: string[];
}

/** Everything a tool may use while running. */
export interface ToolContext {
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Root of the workspace file tools are confined to. */
  workspaceRoot: string;
  /** Aborted when the user cancels the turn; tools must stop promptly. */
  signal: AbortSignal;
  sessionId: string;
  callId: string;
  /** Sink for progress events. */
  emit(event: ToolProgressEvent): void;
  /** Asks the user; undefined in non-interactive runs. */
  ask?: (question: UserQuestion) => Promise<string>;
  /** Host-provided services (sub-agent runner, todo store, LSP manager, ...), by name. */
  services?: Record<string, unknown>;
}

/** What a tool returns. `output` is what the model sees. */
export interface ToolResult {
  output: string;
  isError?: boolean;
  /** Structured data for UIs and logs (diffs, file paths, exit codes); not sent to the model. */
  metadata?: Record<string, unknown>;
  /**
   * Images or audio for the model, base64. `output` must still describe them: the agent sends them only to a model
   * that can see them, and each provider only what its API accepts.
   */
  media?: ToolMedia[];
}

/** A tool: its model-facing description, zod parameters, and implementation. */
export interface Tool<P extends z.ZodType = z.ZodType> {
  id: string;
  description: string;
  parameters: P;
  kind: ToolKind;
  /** Where the tool comes from, for listings: `mcp:<server>`, `plugin:<id>`; unset for built-in tools. */
  origin?: string;
  /** Paths this call touches (relative or absolute), for path-scoped permission rules and confinement. */
  paths?(args: z.infer<P>): string[];
  execute(args: z.infer<P>, ctx: ToolContext): Promise<ToolResult>;
}

/** Identity helper that keeps the parameter type flowing into `execute`. */
export function defineTool<P extends z.ZodType>(tool: Tool<P>): Tool<P> {
  return tool;
}

/** A tool-call request to execute. */
export interface ToolCallRequest {
  id: string;
  name: string;
  /** Raw JSON text from the model. */
  arguments: string;
}
