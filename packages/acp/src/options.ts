import type {
  Agent,
  AgentOptions,
  CustomAgent,
  CustomCommand,
  FileTrustCheck,
  ModelInfo,
  PermissionRule,
  Provider,
  ResponseHook,
  RuleGate,
  RuleGateOptions,
  SessionStore,
  Tool,
  ToolRegistry,
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

/**
 * The host's security runtime (`createRuntime` of @codetether/runtime satisfies it): each session's permission gate,
 * tools and agent come from it, so the configured rules, the sandbox, the audit log and secret redaction apply to
 * editor sessions as to every other entry point.
 */
export interface AcpRuntime {
  /** A gate with the configured rules whose `ask` goes to `prompt` (the editor). */
  createGate(options: { prompt: NonNullable<RuleGateOptions["prompt"]> }): RuleGate;
  /** The session's tools around its gate, plus the editor's tools (file system, terminal, MCP servers). */
  createTools(options: { gate: RuleGate; extraTools: Tool[] }): Promise<ToolRegistry>;
  /** The session's agent (e.g. one whose events are masked of known secrets). */
  createAgent?(options: AgentOptions): Agent;
}

/** What the host (the CLI) provides to run codetether as an ACP agent. */
export interface AcpAgentOptions {
  /** Where sessions are saved; `session/load` reads from it. */
  store: SessionStore;
  /** Resolves a "provider/model" string (undefined: the configured default). Errors are shown to the editor. */
  resolveModel(requested?: string): Promise<ResolvedModel>;
  /** "provider/model" strings offered in the editor's model picker. */
  listModels?(): Promise<string[]>;
  /** Gate, tools and agent of every session (see {@link AcpRuntime}); `rules` and `tools` are then unused. */
  runtime?: AcpRuntime;
  /**
   * The runtime for a session's cwd (its project's config and trust), when it may differ from `runtime`'s folder:
   * an editor starts the agent in one folder and opens sessions in others. Default: `runtime`.
   */
  runtimeFor?(cwd: string): AcpRuntime | Promise<AcpRuntime>;
  /**
   * Permission rules when there is no `runtime`; `ask` rules become `session/request_permission`. Default: the safe
   * default (`SAFE_DEFAULT_RULES` of @codetether/tools: every tool asks the editor), never allow-all.
   */
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
  /**
   * Custom agents for a session's directory (a command's `agent`, a loaded session's agent). Default: the workspace's
   * `.codetether/agents` and the user config dir.
   */
  customAgents?(cwd: string): Promise<CustomAgent[]>;
  /**
   * Whether the folder of `cwd` is trusted (`codetether trust`): only then may a project's custom command or agent
   * choose the model, and (a check, `ProjectTrust.trustsFile`) only one whose file the user approved as it is now.
   * Default: not trusted.
   */
  projectTrusted?(cwd: string): boolean | FileTrustCheck;
  /** Diagnostics; never stdout (stdout carries protocol messages only). */
  log?: (message: string) => void;
}
