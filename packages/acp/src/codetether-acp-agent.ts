import path from "node:path";
import {
  type Agent as AcpAgent,
  type AgentSideConnection,
  type ClientCapabilities,
  type InitializeRequest,
  type InitializeResponse,
  type ListSessionsRequest,
  type ListSessionsResponse,
  type LoadSessionRequest,
  type LoadSessionResponse,
  type McpServer,
  type NewSessionRequest,
  type NewSessionResponse,
  PROTOCOL_VERSION,
  type PromptRequest,
  type PromptResponse,
  RequestError,
  type SetSessionConfigOptionRequest,
  type SetSessionConfigOptionResponse,
  type SetSessionModeRequest,
} from "@agentclientprotocol/sdk";
import { createSession, type Session, type Tool } from "@codetether/core";
import { createDefaultTools, createToolRegistry, loadMcpTools } from "@codetether/tools";
import { clientFileSystem } from "./acp-file-system.js";
import { createAcpFileTools } from "./acp-file-tools.js";
import { AcpSession } from "./acp-session.js";
import { replayHistory } from "./history-replay.js";
import { mcpServersToConfig } from "./mcp-servers.js";
import type { AcpAgentOptions, ResolvedModel } from "./options.js";
import { clientTerminals, createTerminalBashTool } from "./terminal-bash.js";

const SESSION_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/** codetether behind the ACP `Agent` interface: one instance per editor connection. */
export class CodetetherAcpAgent implements AcpAgent {
  private clientCapabilities: ClientCapabilities = {};
  private readonly sessions = new Map<string, AcpSession>();

  constructor(
    private readonly connection: AgentSideConnection,
    private readonly options: AcpAgentOptions,
  ) {}

  async initialize(params: InitializeRequest): Promise<InitializeResponse> {
    this.clientCapabilities = params.clientCapabilities ?? {};
    return {
      // Version 1 is the only one this agent speaks; a client asking for another decides whether to go on.
      protocolVersion: PROTOCOL_VERSION,
      agentCapabilities: {
        loadSession: true,
        promptCapabilities: { image: true, embeddedContext: true },
        mcpCapabilities: { http: true, sse: false },
        sessionCapabilities: { list: {}, close: {} },
      },
      authMethods: [],
      agentInfo: { name: "codetether", title: "codetether", version: this.options.version ?? "0.0.0" },
    };
  }

  async authenticate(): Promise<Record<string, never>> {
    return {};
  }

  async newSession(params: NewSessionRequest): Promise<NewSessionResponse> {
    const cwd = checkCwd(params.cwd);
    const resolved = await this.resolve(undefined);
    const session = createSession({ cwd, model: `${resolved.provider.id}/${resolved.model}` });
    await this.options.store.save(session);
    const acp = await this.open(session, cwd, resolved, params.mcpServers ?? []);
    return { sessionId: acp.id, modes: acp.modes(), configOptions: await acp.configOptions() };
  }

  async loadSession(params: LoadSessionRequest): Promise<LoadSessionResponse> {
    const cwd = checkCwd(params.cwd);
    if (!SESSION_ID.test(params.sessionId))
      throw RequestError.invalidParams({ sessionId: params.sessionId }, "sessionId has invalid characters.");
    let session: Session;
    try {
      session = await this.options.store.load(params.sessionId);
    } catch (err) {
      throw RequestError.invalidParams({ sessionId: params.sessionId }, (err as Error).message);
    }
    await this.sessions.get(session.id)?.dispose();
    let resolved: ResolvedModel;
    try {
      resolved = await this.options.resolveModel(session.model || undefined);
    } catch {
      // The saved model may be gone from the config: continue with the default.
      resolved = await this.resolve(undefined);
    }
    const acp = await this.open(session, cwd, resolved, params.mcpServers ?? []);
    for (const update of replayHistory(session))
      await this.connection.sessionUpdate({ sessionId: acp.id, update });
    return { modes: acp.modes(), configOptions: await acp.configOptions() };
  }

  async listSessions(params: ListSessionsRequest): Promise<ListSessionsResponse> {
    const all = await this.options.store.list();
    const cwd = params.cwd ? path.resolve(params.cwd) : undefined;
    return {
      sessions: all
        .filter((s) => !cwd || s.cwd === cwd)
        .map((s) => ({
          sessionId: s.id,
          cwd: s.cwd,
          title: s.title ?? null,
          updatedAt: new Date(s.updatedAt).toISOString(),
        })),
    };
  }

  async closeSession(params: { sessionId: string }): Promise<Record<string, never>> {
    const acp = this.session(params.sessionId);
    this.sessions.delete(acp.id);
    await acp.dispose();
    return {};
  }

  async prompt(params: PromptRequest): Promise<PromptResponse> {
    return this.session(params.sessionId).prompt(params.prompt);
  }

  async cancel(params: { sessionId: string }): Promise<void> {
    this.sessions.get(params.sessionId)?.cancel();
  }

  async setSessionMode(params: SetSessionModeRequest): Promise<Record<string, never>> {
    const acp = this.session(params.sessionId);
    await acp.setMode(params.modeId);
    await this.connection.sessionUpdate({
      sessionId: acp.id,
      update: { sessionUpdate: "current_mode_update", currentModeId: acp.mode },
    });
    return {};
  }

  async setSessionConfigOption(
    params: SetSessionConfigOptionRequest,
  ): Promise<SetSessionConfigOptionResponse> {
    const acp = this.session(params.sessionId);
    if (params.configId !== "model")
      throw RequestError.invalidParams(
        { configId: params.configId },
        `Unknown config option "${params.configId}". Available: model.`,
      );
    if (typeof params.value !== "string")
      throw RequestError.invalidParams(
        { value: params.value },
        'The "model" option takes a "provider/model" string.',
      );
    await acp.setModel(params.value);
    return { configOptions: await acp.configOptions() };
  }

  /** Cancels every turn and closes MCP connections (the editor went away). */
  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.dispose().catch(() => {})));
  }

  private session(id: string): AcpSession {
    const acp = this.sessions.get(id);
    if (!acp)
      throw RequestError.invalidParams(
        { sessionId: id },
        `Unknown session "${id}". Create one with session/new or resume it with session/load.`,
      );
    return acp;
  }

  private async resolve(requested: string | undefined): Promise<ResolvedModel> {
    try {
      return await this.options.resolveModel(requested);
    } catch (err) {
      throw RequestError.internalError({}, (err as Error).message);
    }
  }

  private async open(session: Session, cwd: string, resolved: ResolvedModel, mcpServers: McpServer[]) {
    const extra: Tool[] = [];
    const fsCaps = this.clientCapabilities.fs ?? {};
    const fileSystem = clientFileSystem(this.connection);
    extra.push(
      ...createAcpFileTools(fileSystem, {
        read: fsCaps.readTextFile === true,
        write: fsCaps.writeTextFile === true,
      }),
    );
    if (this.clientCapabilities.terminal === true)
      extra.push(createTerminalBashTool(clientTerminals(this.connection)));
    const { servers, unsupported } = mcpServersToConfig(mcpServers);
    for (const u of unsupported) this.options.log?.(`MCP server skipped: ${u}`);
    let closeMcp: (() => Promise<void>) | undefined;
    if (Object.keys(servers).length > 0) {
      const builtins = createDefaultTools({ ...this.options.tools }).map((t) => t.id);
      const loaded = await loadMcpTools(
        { mcp: { servers } },
        {
          cwd,
          reservedIds: builtins,
          ...(this.options.tools?.network ? { network: this.options.tools.network } : {}),
          clientInfo: { name: "codetether", version: this.options.version ?? "0.0.0" },
        },
      );
      for (const e of loaded.errors) this.options.log?.(`MCP server ${e.server}: ${e.message}`);
      extra.push(...loaded.tools);
      closeMcp = () => loaded.manager.close();
    }
    extra.push(...(this.options.extraTools ?? []));
    const onResponse = await this.options.responseHook?.(resolved);
    const runtime = (await this.options.runtimeFor?.(cwd)) ?? this.options.runtime;
    const acp = await AcpSession.open({
      ...(runtime ? { runtime } : {}),
      session,
      cwd,
      workspaceRoot: this.options.workspaceRoot?.(cwd) ?? cwd,
      resolved,
      ...(onResponse ? { onResponse } : {}),
      connection: this.connection,
      options: this.options,
      buildTools: (gate) =>
        runtime
          ? runtime.createTools({ gate, extraTools: extra })
          : createToolRegistry({ ...this.options.tools, gate, extraTools: extra, exclude: ["question"] }),
      ...(closeMcp ? { dispose: closeMcp } : {}),
    });
    this.sessions.set(acp.id, acp);
    // After the session/new (or load) response, so the editor knows the session id the update is for.
    setImmediate(() => void acp.announceCommands());
    return acp;
  }
}

function checkCwd(cwd: string): string {
  if (typeof cwd !== "string" || !path.isAbsolute(cwd))
    throw RequestError.invalidParams({ cwd }, `cwd must be an absolute path, got ${JSON.stringify(cwd)}.`);
  return path.resolve(cwd);
}
