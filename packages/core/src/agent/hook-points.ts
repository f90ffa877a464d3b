import type { ContentPart } from "../messages.js";
import type { AgentEvent } from "./agent-event.js";
import {
  type AgentHooks,
  type HookEvent,
  type HookOutcome,
  hookContextText,
  MAX_STOP_HOOK_CONTINUES,
  promptText,
} from "./agent-hooks.js";

type Emit = (event: AgentEvent) => void;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A hook event without the fields every event carries (the agent fills them in). */
export type HookEventInput = DistributiveOmit<HookEvent, HookEventContext>;
/** The fields of every hook event, which the agent fills in. */
type HookEventContext = "session" | "cwd" | "transcriptPath" | "permissions";

/** Where the agent loop calls its hooks; without hooks every call is a no-op. */
export class HookPoints {
  /** Whether `session_start` hooks ran for this agent (once, before its first turn). */
  private started = false;

  constructor(
    private readonly hooks: AgentHooks | undefined,
    private readonly base: () => Pick<HookEvent, HookEventContext>,
  ) {}

  /** Runs the hooks of one event and shows their notices to the user. */
  async run(event: HookEventInput, signal: AbortSignal, emit: Emit): Promise<HookOutcome | undefined> {
    if (!this.hooks) return undefined;
    const outcome = await this.hooks.run({ ...event, ...this.base() } as HookEvent, signal);
    for (const message of outcome.notices ?? []) emit({ type: "hook-notice", event: event.event, message });
    return outcome;
  }

  /** `session_start` (first turn of this agent) and `user_prompt_submit`: a refusal, or context to add. */
  async prompt(
    content: ContentPart[],
    signal: AbortSignal,
    emit: Emit,
  ): Promise<{ context: ContentPart[]; blocked?: string }> {
    const context: ContentPart[] = [];
    if (!this.hooks) return { context };
    if (!this.started) {
      this.started = true;
      const source = this.base().session.messages.length ? "resume" : "startup";
      const start = await this.run({ event: "session_start", source }, signal, emit);
      if (start?.additionalContext)
        context.push({ type: "text", text: hookContextText("session_start", start.additionalContext) });
    }
    const submit = await this.run({ event: "user_prompt_submit", prompt: promptText(content) }, signal, emit);
    if (submit?.block !== undefined)
      return { context, blocked: submit.block || "The prompt was blocked by a hook." };
    if (submit?.additionalContext)
      context.push({ type: "text", text: hookContextText("user_prompt_submit", submit.additionalContext) });
    return { context };
  }

  /** `stop` hooks: the feedback to continue the turn with, or undefined to end it. */
  async stop(text: string, continues: number, signal: AbortSignal, emit: Emit): Promise<string | undefined> {
    if (!this.hooks) return undefined;
    const stop = await this.run({ event: "stop", text, stopHookActive: continues > 0 }, signal, emit);
    if (stop?.block === undefined) return undefined;
    if (continues >= MAX_STOP_HOOK_CONTINUES) {
      emit({
        type: "hook-notice",
        event: "stop",
        message: `a stop hook asked to continue ${continues + 1} times in one turn; stopping anyway (limit ${MAX_STOP_HOOK_CONTINUES})`,
      });
      return undefined;
    }
    return stop.block || "A stop hook asked the agent to continue.";
  }

  /** `pre_compact`, before a summary replaces older turns. */
  async preCompact(trigger: "auto" | "manual", signal: AbortSignal, emit: Emit): Promise<void> {
    await this.run({ event: "pre_compact", trigger }, signal, emit);
  }
}
