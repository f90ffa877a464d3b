import type {
  AgentSideConnection,
  ContentBlock,
  PromptResponse,
  SessionConfigOption,
  SessionModeState,
  SessionUpdate,
} from "@agentclientprotocol/sdk";
import { RequestError } from "@agentclientprotocol/sdk";
import {
  Agent,
  type AgentEvent,
  type AgentOptions,
  agentToolRegistry,
  type CustomAgent,
  type CustomCommand,
  type ResponseHook,
  RuleGate,
  type Session,
  type ToolRegistry,
} from "@codetether/core";
import { SAFE_DEFAULT_RULES } from "@codetether/tools";
import { CustomDefinitions } from "./custom-definitions.js";
import { EventTranslator, stopReasonFor } from "./event-translator.js";
import type { AcpAgentOptions, AcpRuntime, ResolvedModel } from "./options.js";
import { createPermissionPrompt, PendingToolCalls } from "./permission-bridge.js";
import { findSlashCommand, promptToParts } from "./prompt-content.js";

export type ModeId = "build" | "plan";

export const MODES: SessionModeState["availableModes"] = [
  {
    id: "build",
    name: "Build",
    description: "Reads, edits files and runs commands (permission rules apply).",
  },
  {
    id: "plan",
    name: "Plan",
    description: "Read-only: explores and plans; file changes and commands are refused.",
  },
];

export interface AcpSessionInit {
  session: Session;
  cwd: string;
  workspaceRoot: string;
  resolved: ResolvedModel;
  /** The host's response hook for this model (tool router), if any. */
  onResponse?: ResponseHook;
  connection: AgentSideConnection;
  options: AcpAgentOptions;
  /** The runtime of this session's workspace (default: `options.runtime`). */
  runtime?: AcpRuntime;
  /** Builds the session's tool registry around its gate. */
  buildTools(gate: RuleGate): ToolRegistry | Promise<ToolRegistry>;
  /** Releases MCP connections. */
  dispose?: () => Promise<void>;
}

/** One editor session: a core Agent, its permission gate (plan mode, `ask` → editor) and its turn. */
export class AcpSession {
  readonly id: string;
  readonly gate: RuleGate;
  private agent!: Agent;
  private resolved: ResolvedModel;
  private onResponse: ResponseHook | undefined;
  private tools!: ToolRegistry;
  private readonly pending = new PendingToolCalls();
  private turn: AbortController | undefined;
  /** The custom agent the session runs as (a command's `agent`; kept in `session.metadata.agent`). */
  private customAgent: CustomAgent | undefined;
  private readonly definitions: CustomDefinitions;

  /** A session with its gate, tools and agent (building tools may connect MCP servers, hence async). */
  static async open(init: AcpSessionInit): Promise<AcpSession> {
    const acp = new AcpSession(init);
    acp.tools = await init.buildTools(acp.gate);
    // A loaded session goes on as the custom agent it ran as (if that agent still exists).
    const saved = init.session.metadata.agent;
    if (typeof saved === "string")
      acp.customAgent = await acp.definitions.findAgent(saved).catch((err: Error) => {
        init.options.log?.(`session ${init.session.id}: ${err.message}; continuing without it`);
        return undefined;
      });
    acp.agent = acp.createAgent(init.session);
    return acp;
  }

  private constructor(private readonly init: AcpSessionInit) {
    this.id = init.session.id;
    this.definitions = new CustomDefinitions(init.options, init.cwd, init.workspaceRoot);
    this.resolved = init.resolved;
    this.onResponse = init.onResponse;
    const prompt = createPermissionPrompt({
      sessionId: this.id,
      cwd: init.cwd,
      pending: this.pending,
      request: (params) => init.connection.requestPermission(params),
      signal: () => this.turn?.signal,
    });
    this.gate =
      (init.runtime ?? init.options.runtime)?.createGate({ prompt }) ??
      new RuleGate({ rules: [...(init.options.rules ?? SAFE_DEFAULT_RULES)], prompt });
    this.gate.planMode = init.session.metadata.planMode === true;
  }

  get mode(): ModeId {
    return this.gate.planMode ? "plan" : "build";
  }

  get modelString(): string {
    return `${this.resolved.provider.id}/${this.resolved.model}`;
  }

  get session(): Session {
    return this.agent.session;
  }

  modes(): SessionModeState {
    return { currentModeId: this.mode, availableModes: MODES };
  }

  private createAgent(session: Session): Agent {
    const { provider, model, modelInfo } = this.resolved;
    const custom = this.customAgent;
    // A custom agent narrows the session's tools and permissions and brings its own system prompt.
    const tools = custom ? agentToolRegistry(this.tools, custom) : this.tools;
    if (custom) session.metadata.agent = custom.name;
    else delete session.metadata.agent;
    const options: AgentOptions = {
      ...this.init.options.agent,
      ...(custom ? { systemPrompt: custom.systemPrompt } : {}),
      provider,
      model,
      ...(modelInfo ? { modelInfo } : {}),
      ...(this.onResponse ? { onResponse: this.onResponse } : {}),
      tools,
      cwd: this.init.cwd,
      workspaceRoot: this.init.workspaceRoot,
      session,
      store: this.init.options.store,
      services: { gate: this.gate, provider, model, tools, store: this.init.options.store },
    };
    const agent =
      (this.init.runtime ?? this.init.options.runtime)?.createAgent?.(options) ?? new Agent(options);
    // Listeners run synchronously inside emit, so a tool call is known before its permission check.
    agent.subscribe((event) => {
      if (event.type === "tool-start") this.pending.start(event.callId, event.tool, event.args);
      if (event.type === "tool-end") this.pending.end(event.callId);
    });
    return agent;
  }

  async setMode(modeId: string): Promise<void> {
    if (modeId !== "build" && modeId !== "plan")
      throw RequestError.invalidParams({ modeId }, `Unknown mode "${modeId}". Available modes: build, plan.`);
    this.gate.planMode = modeId === "plan";
    this.session.metadata.planMode = this.gate.planMode;
    await this.init.options.store.save(this.session);
  }

  /** Switches the model for the next turns; the history is kept. */
  async setModel(modelString: string): Promise<void> {
    if (this.turn) throw RequestError.invalidRequest({}, "Cannot change the model while a turn is running.");
    await this.useModel(modelString);
  }

  private async useModel(modelString: string): Promise<void> {
    let resolved: ResolvedModel;
    try {
      resolved = await this.init.options.resolveModel(modelString);
    } catch (err) {
      throw RequestError.invalidParams({ value: modelString }, (err as Error).message);
    }
    this.resolved = resolved;
    this.onResponse = await this.init.options.responseHook?.(resolved);
    this.agent = this.createAgent(this.agent.session);
  }

  async configOptions(): Promise<SessionConfigOption[]> {
    const listed = (await this.init.options.listModels?.().catch(() => [])) ?? [];
    const models = listed.includes(this.modelString) ? listed : [this.modelString, ...listed];
    return [
      {
        id: "model",
        name: "Model",
        category: "model",
        type: "select",
        currentValue: this.modelString,
        options: models.map((m) => ({ value: m, name: m })),
      },
    ];
  }

  cancel(): void {
    this.turn?.abort(new Error("cancelled by the editor"));
  }

  private notify(update: SessionUpdate): Promise<void> {
    return this.init.connection.sessionUpdate({ sessionId: this.id, update }).catch((err: unknown) => {
      this.init.options.log?.(`session/update failed: ${(err as Error).message}`);
    });
  }

  /** The session's custom commands, loaded once. A broken definition is skipped, never fatal. */
  customCommands(): Promise<CustomCommand[]> {
    return this.definitions.customCommands();
  }

  /**
   * A custom command's `agent` and `model`, as in the TUI: the session runs as that agent and on that model from
   * now on (the editor is told the new model with `config_option_update`).
   */
  private async applyCommand(command: CustomCommand): Promise<void> {
    if (!command.agent && !command.model) return;
    if (command.agent) this.customAgent = await this.definitions.findAgent(command.agent);
    const model = command.model ?? this.customAgent?.model;
    if (model && model !== this.modelString) await this.useModel(model);
    else this.agent = this.createAgent(this.agent.session);
    await this.notify({ sessionUpdate: "config_option_update", configOptions: await this.configOptions() });
  }

  /** `available_commands_update`: the custom commands the editor offers after `/`. */
  async announceCommands(): Promise<void> {
    const commands = await this.customCommands();
    await this.notify({
      sessionUpdate: "available_commands_update",
      availableCommands: commands.map((c) => ({
        name: c.name,
        description: c.description,
        input: { hint: "arguments ($ARGUMENTS, $1…$9)" },
      })),
    });
  }

  /** Runs one turn, streaming updates; resolves with the stop reason. */
  async prompt(blocks: ContentBlock[]): Promise<PromptResponse> {
    if (this.turn)
      throw RequestError.invalidRequest({}, "A prompt is already running in this session; cancel it first.");
    // Taken before anything is awaited, so a second prompt is refused even while this one loads its commands.
    const controller = new AbortController();
    this.turn = controller;
    const parts = promptToParts(blocks);
    let slash: ReturnType<typeof findSlashCommand>;
    try {
      slash = findSlashCommand(parts, await this.customCommands());
      if (slash) await this.applyCommand(slash.command);
    } catch (err) {
      this.turn = undefined;
      throw err instanceof RequestError
        ? err
        : RequestError.invalidParams({ command: slash?.command.name }, (err as Error).message);
    }
    const translator = new EventTranslator({
      cwd: this.init.cwd,
      ...(this.resolved.modelInfo ? { contextWindow: this.resolved.modelInfo.contextWindow } : {}),
    });
    let last: AgentEvent | undefined;
    const sends: Promise<void>[] = [];
    const titleBefore = this.session.title;
    try {
      for await (const event of this.agent.run(slash?.parts ?? parts, { signal: controller.signal })) {
        last = event;
        for (const update of translator.translate(event)) sends.push(this.notify(update));
        if (event.type === "tool-end" && (event.tool === "plan_enter" || event.tool === "plan_exit"))
          sends.push(this.notify({ sessionUpdate: "current_mode_update", currentModeId: this.mode }));
      }
    } finally {
      this.turn = undefined;
      if (this.session.title && this.session.title !== titleBefore)
        sends.push(
          this.notify({
            sessionUpdate: "session_info_update",
            title: this.session.title,
            updatedAt: new Date().toISOString(),
          }),
        );
      await Promise.all(sends);
    }
    if (last?.type === "done") {
      const u = last.usage;
      return {
        stopReason: stopReasonFor(last.reason),
        usage: {
          inputTokens: u.promptTokens,
          outputTokens: u.completionTokens,
          totalTokens: u.promptTokens + u.completionTokens,
          cachedReadTokens: u.cacheReadTokens,
          cachedWriteTokens: u.cacheWriteTokens,
        },
      };
    }
    if (last?.type === "error" && (last.kind === "aborted" || controller.signal.aborted))
      return { stopReason: "cancelled" };
    const message = last?.type === "error" ? last.message : "The agent turn ended without a result.";
    await this.notify({
      sessionUpdate: "agent_message_chunk",
      content: { type: "text", text: `Error: ${message}` },
    });
    throw RequestError.internalError({ kind: last?.type === "error" ? last.kind : "error" }, message);
  }

  async dispose(): Promise<void> {
    this.cancel();
    await this.init.dispose?.();
  }
}
