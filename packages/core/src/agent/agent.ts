import type { ContentPart, Message } from "../messages.js";
import { costOf } from "../model-info.js";
import type { ChatRequest } from "../provider/chat-request.js";
import { ProviderError } from "../provider/provider-error.js";
import { createSession, type Session, titleFromPrompt } from "../session/session.js";
import { addUsage, emptyUsage } from "../usage.js";
import { abortError, isAbortError } from "../util/abort.js";
import { EventChannel } from "../util/event-channel.js";
import type { AgentEvent, TurnEndReason } from "./agent-event.js";
import { hookContextText } from "./agent-hooks.js";
import type { AgentOptions } from "./agent-options.js";
import { HookPoints } from "./hook-points.js";
import { callModel } from "./model-call.js";
import { modelMessages } from "./model-messages.js";
import { withStepSignal } from "./step-tools.js";
import { buildSystemPrompt } from "./system-prompt.js";
import { textOnlyRequest } from "./text-only.js";
import { runToolCall } from "./tool-call-runner.js";

// Re-exported so the package index keeps one line for the agent.
export type { AgentOptions, BeforeStepHook, ResponseHook } from "./agent-options.js";

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
    this.hookPoints = new HookPoints(options.hooks, () => this.hookContext());
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
    return modelMessages(this.session, system);
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

  /** What every hook event carries: the session, where it is saved, and the permission mode of the agent's tools. */
  private hookContext() {
    const permissions = this.options.tools.gate?.permissionState?.();
    return {
      session: this.session,
      cwd: this.options.cwd,
      ...(this.options.store ? { transcriptPath: this.options.store.pathOf(this.session.id) } : {}),
      ...(permissions ? { permissions } : {}),
    };
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
    // The prompt is saved while the first request is on its way, not before it: the write and its fsyncs no longer
    // delay the first token (issue 25). It is awaited before anything of the answer is recorded, so a failed save
    // still ends the turn. (Saves of one session queue on the store's file lock, so later saves wait for it.)
    let promptSaved: Promise<void> | undefined = this.save();
    promptSaved.catch(() => {}); // observed below; this only keeps a rejection from being unhandled meanwhile
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
        let response = await callModel(
          this.options,
          textOnly ? textOnlyRequest(request) : request,
          signal,
          emit,
        );
        if (promptSaved) {
          await promptSaved;
          promptSaved = undefined;
        }
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
          Promise.all(calls.map((call) => runToolCall(this, this.hookPoints, call, stepSignal, emit))),
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
}
