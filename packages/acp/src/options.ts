import type {
  AgentOptions,
  CustomCommand,
  ModelInfo,
  PermissionRule,
  Provider,
  ResponseHook,
  SessionStore,
  Tool,
} from "@codetether/core";
import type { ToolRegistryFactoryOptions } from "@codetether/tools";

/** A model the host resolved from a "provider/model" string. */
export interface ResolvedModel {
  provider: Provider;
  model: string;
  modelInfo?: ModelInfo;
}

/** Agent settings the host takes from its config (everything but what a session decides itself). */
export type AgentDefaults = Partial<
  Pick<
    AgentOptions,
    | "maxSteps"
    | "maxRetries"
    | "idleTimeoutMs"
    | "maxTokens"
    | "temperature"
    | "systemPrompt"
    | "onResponse"
    | "beforeStep"
  >
>;

/** What the host (the CLI) provides to run codetether as an ACP agent. */
export interface AcpAgentOptions {
  /** Where sessions are saved; `session/load` reads from it. */
  store: SessionStore;
  /** Resolves a "provider/model" string (undefined: the configured default). Errors are shown to the editor. */
  resolveModel(requested?: string): Promise<ResolvedModel>;
  /** "provider/model" strings offered in the editor's model picker. */
  listModels?(): Promise<string[]>;
  /** Permission rules from config; `ask` rules become `session/request_permission`. */
  rules?: PermissionRule[];
  /** Root file tools are confined to, for a session's cwd (default: the cwd). */
  workspaceRoot?(cwd: string): string;
  /** Built-in tool options (task sub-agents, skills dir, ripgrep, web, lsp). */
  tools?: Omit<ToolRegistryFactoryOptions, "gate" | "extraTools" | "exclude">;
  /** More tools for every session (added after the built-ins). */
  extraTools?: Tool[];
  agent?: AgentDefaults;
  /** A response hook for a model, e.g. the tool router for models without native tool calls. */
  responseHook?(model: ResolvedModel): Promise<ResponseHook | undefined>;
  /** Reported in `initialize` as agentInfo. */
  version?: string;
  /**
   * Custom slash commands for a session's directory (`/name args` in a prompt; listed with
   * `available_commands_update`). Default: the workspace's `.codetether/commands` and the user config dir.
   */
  customCommands?(cwd: string): Promise<CustomCommand[]>;
  /** Diagnostics; never stdout (stdout carries protocol messages only). */
  log?: (message: string) => void;
}
