import type {
  AgentHooks,
  DefinitionDirs,
  ModelInfo,
  Provider,
  SessionStore,
  ToolRegistry,
} from "@codetether/core";
import type { ResolveAgentModel } from "../swarm-agent.js";

/** Streams a command writes to (process.stdout/stderr in the CLI, buffers in tests). */
export interface CommandIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown };
}

/** What the CLI supplies: model resolution (config + `--model`), tools, cwd and the Ctrl+C signal. */
export interface SwarmCommandDeps {
  resolveModel(model?: string): Promise<{ provider: Provider; model: string; modelInfo?: ModelInfo }>;
  tools: ToolRegistry;
  cwd: string;
  signal?: AbortSignal;
  store?: SessionStore;
  /** The configured hooks; the sub-agents' tool calls are held to their tool hooks, as the swarm tool's are. */
  hooks?: AgentHooks;
  /**
   * Where `--agent` looks for custom agents; `projectTrusted` (false, or a per-file check) drops an unapproved
   * project agent's `model`.
   * Without it `--agent` is refused.
   */
  agentDirs?: DefinitionDirs;
  /** Resolves a custom agent's `model` (configured providers only); without it such an agent is refused. */
  resolveAgentModel?: ResolveAgentModel;
}
