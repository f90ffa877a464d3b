import type { ModelInfo } from "../model-info.js";
import type { ChatRequest } from "../provider/chat-request.js";
import type { CollectedResponse } from "../provider/collect.js";
import type { Provider } from "../provider/provider.js";
import type { Session } from "../session/session.js";
import type { SessionStore } from "../session/session-store.js";
import type { ToolContext } from "../tool/tool.js";
import type { ToolRegistry } from "../tool/tool-registry.js";
import type { Agent } from "./agent.js";
import type { AgentEvent } from "./agent-event.js";
import type { AgentHooks } from "./agent-hooks.js";

/**
 * Lets a host rewrite a response before tools run (the tool router turns text into tool calls here). `request`
 * carries the tool definitions even when the model was sent none (text-only models); `emit` reports events.
 */
export type ResponseHook = (
  response: CollectedResponse,
  context: {
    request: ChatRequest;
    session: Session;
    signal: AbortSignal;
    emit?: (event: AgentEvent) => void;
  },
) => Promise<CollectedResponse>;

/** Runs before each model call, e.g. to compact a session nearing the context window. */
export type BeforeStepHook = (context: {
  session: Session;
  agent: Agent;
  signal: AbortSignal;
  emit: (event: AgentEvent) => void;
}) => Promise<void>;

export interface AgentOptions {
  provider: Provider;
  /** Model id within the provider. */
  model: string;
  modelInfo?: ModelInfo;
  tools: ToolRegistry;
  cwd: string;
  /** Root file tools are confined to (default: cwd). */
  workspaceRoot?: string;
  /** Replaces the default base instructions; AGENTS.md files are still appended. */
  systemPrompt?: string;
  /** Use exactly this system prompt (no AGENTS.md, no environment). */
  rawSystemPrompt?: string;
  maxSteps?: number;
  session?: Session;
  store?: SessionStore;
  /** Retries of a failed model call (429/5xx/timeouts) before giving up. */
  maxRetries?: number;
  /** Abort a model call when no chunk arrives for this long (ms). */
  idleTimeoutMs?: number;
  maxTokens?: number;
  temperature?: number;
  ask?: ToolContext["ask"];
  services?: Record<string, unknown>;
  onResponse?: ResponseHook;
  beforeStep?: BeforeStepHook;
  /** Called at tool calls, prompts, the end of a turn, the first turn and compaction (config `[[hooks.*]]`). */
  hooks?: AgentHooks;
}
