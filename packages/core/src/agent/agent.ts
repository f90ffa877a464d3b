import type { ContentPart, Message, ToolResultPart } from "../messages.js";
import { costOf, type ModelInfo } from "../model-info.js";
import type { ChatRequest } from "../provider/chat-request.js";
import type { CollectedResponse } from "../provider/collect.js";
import { completeWithRetry } from "../provider/complete-with-retry.js";
import type { Provider } from "../provider/provider.js";
import { ProviderError } from "../provider/provider-error.js";
import { createSession, type Session, titleFromPrompt } from "../session/session.js";
import type { SessionStore } from "../session/session-store.js";
import type { ToolContext, ToolResult } from "../tool/tool.js";
import type { ToolRegistry } from "../tool/tool-registry.js";
import { addUsage, emptyUsage } from "../usage.js";
import { abortError, isAbortError } from "../util/abort.js";
import { EventChannel } from "../util/event-channel.js";
import type { AgentEvent, TurnEndReason } from "./agent-event.js";
import { type AgentHooks, hookContextText } from "./agent-hooks.js";
import { HookPoints } from "./hook-points.js";
import { toolResultPart, withStepSignal } from "./step-tools.js";
import { buildSystemPrompt } from "./system-prompt.js";
import { textOnlyRequest } from "./text-only.js";

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

/**
 * The agent loop: model call → tool calls (run concurrently) → results → next call, until the model
 * answers without tools or `maxSteps` is reached. The session is saved after every step.
 */
export class Agent {
  readonly options: AgentOptions;
  session: Session;
  private readonly listeners = new Set<(event: AgentEvent) => void>();
  private readonly hookPoints: HookPoints;

  constructor(options: AgentOptions) {
    this.options = options;
    this.session =
      options.session ??
      createSession({ cwd: options.cwd, model: `${options.provider.id}/${options.model}` });
    this.hookPoints = new HookPoints(options.hooks, () => ({ session: this.session, cwd: options.cwd }));
  }

  get modelString(): string {
    return `${this.options.provider.id}/${this.options.model}`;
  }

  /** Receive every event of every turn. Returns an unsubscribe function. */
  subscribe(listener: (event: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The system prompt: raw override, or base instructions + environment + AGENTS.md files. */
  systemPrompt(): string {
    return (
      this.options.rawSystemPrompt ??
      buildSystemPrompt({
        cwd: this.options.cwd,
        ...(this.options.systemPrompt ? { override: this.options.systemPrompt } : {}),
      })
    );
  }

  /** The messages the model sees: system prompt, compaction summary, then history since compaction. */
  buildMessages(system: string = this.systemPrompt()): Message[] {
    const out: Message[] = [{ role: "system", content: [{ type: "text", text: system }] }];
    const from = this.session.compactedFrom ?? 0;
    if (this.session.summary) {
      out.push({
        role: "user",
        content: [
          { type: "text", text: `<conversation-summary>\n${this.session.summary}\n</conversation-summary>` },
        ],
      });
    }
    out.push(...this.session.messages.slice(from));
    return out;
  }

  /** Runs one user turn, yielding events as they happen. */
  run(input: string | ContentPart[], options: { signal?: AbortSignal } = {}): AsyncIterable<AgentEvent> {
    const channel = new EventChannel<AgentEvent>();
    const emit = (event: AgentEvent) => {
      channel.push(event);
      for (const listener of this.listeners) listener(event);
    };
    this.turn(input, options.signal ?? new AbortController().signal, emit).then(
      () => channel.close(),
      (err) => channel.fail(err),
    );
    return channel;
  }

  /** Runs a turn to the end and returns the final event (`done` or `error`). */
  async runToEnd(input: string | ContentPart[], options: { signal?: AbortSignal } = {}) {
    let last: AgentEvent | undefined;
    for await (const event of this.run(input, options)) last = event;
    if (!last || (last.type !== "done" && last.type !== "error"))
      throw new Error("agent turn ended without a result");
    return last;
  }

  /**
   * Runs the `pre_compact` hooks, before a summary replaces older turns (automatic compaction calls it with
   * "auto", `/compact` and `run --compact` with "manual"). Notices go to `emit`, else to subscribers.
   */
  async preCompactHooks(trigger: "auto" | "manual", signal: AbortSignal, emit?: (e: AgentEvent) => void) {
    const send =
      emit ??
      ((event: AgentEvent) => {
        for (const listener of this.listeners) listener(event);
      });
    await this.hookPoints.preCompact(trigger, signal, send);
  }

  private async save(): Promise<void> {
    if (this.options.store) await this.options.store.save(this.session);
  }

  private async turn(input: string | ContentPart[], signal: AbortSignal, emit: (e: AgentEvent) => void) {
    const session = this.session;
    let content: ContentPart[] = typeof input === "string" ? [{ type: "text", text: input }] : input;
    const admitted = await this.hookPoints.prompt(content, signal, emit);
    if (admitted.blocked !== undefined) {
      // The prompt is refused before it reaches the session or the model, as Claude Code's UserPromptSubmit does.
      emit({ type: "turn-start", sessionId: session.id, model: this.modelString });
      emit({
        type: "error",
        sessionId: session.id,
        message: `prompt blocked by a user_prompt_submit hook: ${admitted.blocked}`,
        kind: "hook_blocked",
      });
      return;
    }
    content = [...content, ...admitted.context];
    if (session.messages.length === 0) {
      const firstText = content.find((p) => p.type === "text");
      session.title = titleFromPrompt(firstText?.type === "text" ? firstText.text : "");
    }
    session.model = this.modelString;
    session.messages.push({ role: "user", content, createdAt: Date.now() });
    await this.save();
    emit({ type: "turn-start", sessionId: session.id, model: this.modelString });

    const maxSteps = this.options.maxSteps ?? 50;
    let turnUsage = emptyUsage();
    let finalText = "";
    let reason: TurnEndReason = "max_steps";
    let step = 0;
    let stopContinues = 0;
    // Read AGENTS.md once per turn, not once per step.
    const system = this.systemPrompt();
    try {
      while (step < maxSteps) {
        step++;
        if (signal.aborted) throw abortError(signal);
        await this.options.beforeStep?.({ session, agent: this, signal, emit });
        emit({ type: "step-start", step });
        const request: ChatRequest = {
          model: this.options.model,
          messages: this.buildMessages(system),
          tools: this.options.tools.definitions(),
          ...(this.options.maxTokens ? { maxTokens: this.options.maxTokens } : {}),
          ...(this.options.temperature !== undefined ? { temperature: this.options.temperature } : {}),
        };
        // A text-only model gets no tool schemas; its answers reach tools through the response hook (router).
        const textOnly = this.options.modelInfo?.supportsTools === false;
        let response = await this.callModel(textOnly ? textOnlyRequest(request) : request, signal, emit);
        if (this.options.onResponse)
          response = await this.options.onResponse(response, { request, session, signal, emit });
        // After the hook, so calls the tool router made from a text answer are reported like native ones.
        for (const part of response.message.content) {
          if (part.type === "tool_call") {
            emit({ type: "tool-call", callId: part.id, tool: part.name, arguments: part.arguments });
          }
        }
        const usage = { ...response.usage };
        const cost = costOf(usage, this.options.modelInfo?.pricing);
        if (cost !== undefined) usage.cost = cost;
        turnUsage = addUsage(turnUsage, usage);
        session.usage = addUsage(session.usage, usage);
        // Per-message model and usage let `stats` split cost by model and day, and survive forks.
        session.messages.push({ ...response.message, model: this.modelString, usage });
        emit({ type: "usage", step, usage, total: session.usage });
        emit({ type: "step-end", step, finishReason: response.finishReason });

        const calls = response.message.content.filter((p) => p.type === "tool_call");
        if (calls.length === 0) {
          await this.save();
          finalText = response.message.content
            .filter((p) => p.type === "text")
            .map((p) => p.text)
            .join("");
          reason = response.finishReason;
          const feedback = await this.hookPoints.stop(finalText, stopContinues, signal, emit);
          if (feedback === undefined) break;
          // A stop hook asked for more work: its reason is the next user message (bounded per turn).
          stopContinues++;
          session.messages.push({
            role: "user",
            content: [{ type: "text", text: hookContextText("stop", feedback) }],
            createdAt: Date.now(),
          });
          await this.save();
          continue;
        }
        // One durable write per step (after the tool results): a crash loses at most the step in flight.
        const results = await withStepSignal(signal, calls.length, (stepSignal) =>
          Promise.all(
            calls.map((call) => this.runTool(call.id, call.name, call.arguments, stepSignal, emit)),
          ),
        );
        session.messages.push({ role: "tool", content: results, createdAt: Date.now() });
        await this.save();
        if (signal.aborted) throw abortError(signal);
      }
      emit({ type: "done", sessionId: session.id, text: finalText, reason, steps: step, usage: turnUsage });
    } catch (err) {
      await this.save().catch(() => {});
      if (signal.aborted || isAbortError(err)) {
        emit({ type: "error", sessionId: session.id, message: "Cancelled by the user.", kind: "aborted" });
        return;
      }
      const kind = err instanceof ProviderError ? err.kind : "error";
      emit({ type: "error", sessionId: session.id, message: (err as Error).message ?? String(err), kind });
    }
  }

  /** One model call with retries; retries only while nothing has been streamed to the user yet. */
  private callModel(request: ChatRequest, signal: AbortSignal, emit: (e: AgentEvent) => void) {
    return completeWithRetry(this.options.provider, request, {
      signal,
      maxRetries: this.options.maxRetries ?? 4,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 120_000,
      onChunk: (chunk) => {
        if (chunk.type === "text-delta") emit({ type: "text-delta", text: chunk.text });
        else if (chunk.type === "thinking-delta") emit({ type: "thinking-delta", text: chunk.text });
        else return false;
        return true;
      },
      onRetry: (retry) => emit({ type: "retry", ...retry }),
    });
  }

  private async runTool(
    callId: string,
    name: string,
    args: string,
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
  ): Promise<ToolResultPart> {
    let parsedArgs: unknown = args;
    try {
      parsedArgs = JSON.parse(args);
    } catch {
      // the registry reports invalid JSON to the model
    }
    const pre = await this.hookPoints.run(
      { event: "pre_tool_use", tool: name, callId, input: parsedArgs },
      signal,
      emit,
    );
    if (pre?.updatedInput !== undefined && pre.block === undefined) {
      parsedArgs = pre.updatedInput;
      args = JSON.stringify(pre.updatedInput);
    }
    emit({ type: "tool-start", callId, tool: name, args: parsedArgs });
    const started = performance.now();
    const ctx: ToolContext = {
      cwd: this.options.cwd,
      workspaceRoot: this.options.workspaceRoot ?? this.options.cwd,
      signal,
      sessionId: this.session.id,
      callId,
      emit: (event) => emit({ type: "tool-progress", callId, tool: name, event }),
      ...(this.options.ask ? { ask: this.options.ask } : {}),
      services: { ...this.options.services, session: this.session, agent: this },
    };
    // A blocking pre_tool_use hook refuses the call: its reason is the result the model sees.
    let result: ToolResult =
      pre?.block !== undefined
        ? { output: pre.block, isError: true }
        : await this.options.tools.execute({ id: callId, name, arguments: args }, ctx);
    if (pre?.block === undefined) {
      const post = await this.hookPoints.run(
        { event: "post_tool_use", tool: name, callId, input: parsedArgs, response: result },
        signal,
        emit,
      );
      const notes = [post?.block, post?.additionalContext].filter((t): t is string => Boolean(t));
      if (notes.length)
        result = {
          ...result,
          output: `${result.output}\n\n${hookContextText("post_tool_use", notes.join("\n"))}`,
        };
    }
    emit({
      type: "tool-end",
      callId,
      tool: name,
      result,
      durationMs: Math.round(performance.now() - started),
    });
    return toolResultPart(callId, result, this.options.modelInfo);
  }
}
