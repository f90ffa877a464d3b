import {
  Agent,
  type AgentOptions,
  type AutoApprove,
  type Provider,
  RuleGate,
  type SessionStore,
  type ToolKind,
  ToolRegistry,
} from "@codetether/core";
import { type A2ABinding, sendA2AMessage } from "../client/send-message.js";
import type { PlatformTask } from "./platform-client.js";
import { sessionForTask } from "./worker-sessions.js";

export interface TaskRunContext {
  /** Progress text for the platform (streamed as task output). */
  emitOutput(text: string): void;
  signal: AbortSignal;
}

export interface TaskRunResult {
  result: string;
  sessionId?: string;
}

/** Runs one claimed platform task. Throws to report failure. */
export type WorkerTaskRunner = (task: PlatformTask, context: TaskRunContext) => Promise<TaskRunResult>;

/** The prompt of a platform task: `prompt`, else `description`, else `title`. */
export function promptOf(task: PlatformTask): string {
  return (task.prompt ?? task.description ?? task.title ?? "").trim();
}

const KINDS_BY_MODE: Record<AutoApprove, ReadonlySet<ToolKind> | "all"> = {
  all: "all",
  safe: new Set<ToolKind>(["read", "agent", "other"]),
  none: new Set<ToolKind>(["read"]),
};

/**
 * Restricts a registry to what `--auto-approve` allows an unattended worker: `all` keeps every tool,
 * `safe` drops tools that write, execute or reach the network, `none` keeps read-only tools. The
 * returned registry also answers permission asks with the same mode.
 */
export function limitToolsByAutoApprove(tools: ToolRegistry, mode: AutoApprove): ToolRegistry {
  const allowed = KINDS_BY_MODE[mode];
  const ids = tools
    .list()
    .filter((t) => allowed === "all" || allowed.has(t.kind))
    .map((t) => t.id);
  const limited = tools.subset(ids);
  limited.gate ??= new RuleGate({ autoApprove: mode });
  return limited;
}

export interface LocalRunnerOptions {
  provider: Provider;
  model: string;
  cwd: string;
  autoApprove: AutoApprove;
  createTools?: (context: { cwd: string; autoApprove: AutoApprove }) => ToolRegistry | Promise<ToolRegistry>;
  /** Builds each task's agent (default `new Agent`), e.g. one whose events are masked of known secrets. */
  createAgent?: (options: AgentOptions) => Agent;
  sessions?: SessionStore;
  /** The platform's URL: a task may resume only the sessions the worker started for this platform. */
  platform?: string;
}

/**
 * Runs tasks with the local codetether agent; resumes `metadata.resume_session_id` when it names a session this
 * worker started for the platform's tasks in `cwd` (see `sessionForTask`).
 */
export function localAgentRunner(options: LocalRunnerOptions): WorkerTaskRunner {
  return async (task, context) => {
    const prompt = promptOf(task);
    if (!prompt) throw new Error(`Task ${task.id} has no prompt, description or title to work on.`);
    const all = options.createTools
      ? await options.createTools({ cwd: options.cwd, autoApprove: options.autoApprove })
      : new ToolRegistry();
    const tools = limitToolsByAutoApprove(all, options.autoApprove);
    const session = await sessionForTask(task, {
      ...(options.sessions ? { sessions: options.sessions } : {}),
      cwd: options.cwd,
      platform: options.platform ?? "",
    });
    const agentOptions: AgentOptions = {
      provider: options.provider,
      model: options.model,
      tools,
      cwd: options.cwd,
      session,
      ...(options.sessions ? { store: options.sessions } : {}),
    };
    const agent = options.createAgent ? options.createAgent(agentOptions) : new Agent(agentOptions);
    let pending = "";
    let flushedAt = Date.now();
    for await (const event of agent.run(prompt, { signal: context.signal })) {
      if (event.type === "text-delta") {
        pending += event.text;
        // Stream progress in pieces: enough text or enough time since the last post.
        if (pending.length >= 400 || Date.now() - flushedAt >= 1_000) {
          context.emitOutput(pending);
          pending = "";
          flushedAt = Date.now();
        }
      }
      if (event.type === "tool-start") {
        if (pending) context.emitOutput(pending);
        pending = "";
        context.emitOutput(`\n[tool ${event.tool}]\n`);
      }
      if (event.type === "done") {
        if (pending) context.emitOutput(pending);
        return { result: event.text, sessionId: event.sessionId };
      }
      if (event.type === "error") throw new Error(event.message);
    }
    throw new Error("the agent turn ended without a result");
  };
}

/** The generic mode: forwards each task to an A2A agent and relays its streamed reply. */
export function a2aForwardRunner(target: {
  url: string;
  token?: string;
  binding?: A2ABinding;
}): WorkerTaskRunner {
  return async (task, context) => {
    const prompt = promptOf(task);
    if (!prompt) throw new Error(`Task ${task.id} has no prompt, description or title to work on.`);
    let text = "";
    let state = "";
    let statusText = "";
    for await (const event of sendA2AMessage({
      url: target.url,
      ...(target.token ? { token: target.token } : {}),
      ...(target.binding ? { transport: target.binding } : {}),
      message: prompt,
      stream: true,
      signal: context.signal,
    })) {
      if (event.type === "artifact" && event.name !== "file-change" && event.text) {
        text += event.text;
        context.emitOutput(event.text);
      } else if (event.type === "message") {
        text += event.text;
        context.emitOutput(event.text);
        state = "TASK_STATE_COMPLETED";
      } else if (event.type === "task" || event.type === "status") {
        state = event.state;
        statusText = event.text ?? statusText;
      }
    }
    if (state !== "TASK_STATE_COMPLETED") {
      throw new Error(
        `A2A agent ended the task in ${state || "no state"}${statusText ? `: ${statusText}` : ""}`,
      );
    }
    return { result: text || statusText };
  };
}
