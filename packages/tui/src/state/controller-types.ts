import type {
  Agent,
  CustomAgent,
  CustomCommand,
  ModelInfo,
  Provider,
  ProviderRegistry,
  Session,
  SessionStore,
} from "@codetether/core";
import type { RalphRunner, SwarmRunner } from "./orchestration.js";
import type { PromptBridge } from "./prompt-bridge.js";
import type { RalphView } from "./ralph-state.js";
import type { SwarmView } from "./swarm-state.js";
import type { TranscriptState } from "./transcript.js";

export interface CreateAgentInput {
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
  session?: Session;
  /** A custom agent to run as: the host applies its system prompt, tool allow-list and permissions. */
  agent?: CustomAgent;
}

/** What the host (the CLI) supplies: everything the TUI drives. */
export interface TuiDeps {
  store: SessionStore;
  registry: ProviderRegistry;
  /** Builds an agent for a model and session; the host sets tools, permission gate, hooks and `ask`. */
  createAgent(input: CreateAgentInput): Agent;
  /** Model metadata (context window, prices) for the status line and compaction. */
  lookupModel?(providerId: string, model: string): ModelInfo | undefined;
  /** `provider/model` to start with. */
  initialModel: string;
  /** A session to resume at start. */
  session?: Session;
  /** The custom agent to start as: the resumed session's (`session.metadata.agent`), looked up by the host. */
  initialAgent?: CustomAgent;
  bridge: PromptBridge;
  /** Enables `/swarm <task>` (host wires `@codetether/swarm`). */
  swarm?: SwarmRunner;
  /** Enables `/ralph` (host wires `@codetether/ralph`). */
  ralph?: RalphRunner;
  /**
   * `/rewind`: restores the session to the end of `turn` — the agent's file changes after it and/or the later
   * messages (host wires `@codetether/tools` `rewindSession`). Resolves with what was restored.
   */
  rewind?(
    session: Session,
    turn: number,
    scope: "files" | "conversation" | "both",
  ): Promise<{ restoredFiles: string[]; removedMessages: number }>;
  /** Custom commands and agents (`.codetether/commands`, `.codetether/agents`, user config dir). */
  customCommands?(): Promise<CustomCommand[]>;
  customAgents?(): Promise<CustomAgent[]>;
}

export interface ControllerState {
  transcript: TranscriptState;
  model: string;
  modelInfo?: ModelInfo;
  sessionId: string;
  title: string;
  /** A short message for the user (errors of commands, confirmations). */
  notice?: { text: string; error: boolean };
  swarm?: SwarmView;
  ralph?: RalphView;
  /** The custom agent the session runs as, if any. */
  agent?: string;
}
