import type { PermissionState } from "../permission/permission-gate.js";
import type { Session } from "../session/session.js";
import type { ToolResult } from "../tool/tool.js";

/** The points of the agent loop a host may hook (config `[[hooks.<event>]]`). */
export type HookEventName =
  | "pre_tool_use"
  | "post_tool_use"
  | "user_prompt_submit"
  | "stop"
  | "session_start"
  | "pre_compact";

interface HookEventBase {
  session: Session;
  cwd: string;
  /** The file the session is saved to; undefined when the agent has no session store (nothing is saved). */
  transcriptPath?: string;
  /** How the agent's permission gate answers calls now; undefined when its tools have no gate. */
  permissions?: PermissionState;
}

/** What the agent tells a hook; the host decides how to run it (the runtime spawns shell commands). */
export type HookEvent = HookEventBase &
  (
    | { event: "pre_tool_use"; tool: string; callId: string; input: unknown }
    | { event: "post_tool_use"; tool: string; callId: string; input: unknown; response: ToolResult }
    | { event: "user_prompt_submit"; prompt: string }
    /** `stopHookActive`: the agent is already continuing because a stop hook asked it to. */
    | { event: "stop"; text: string; stopHookActive: boolean }
    | { event: "session_start"; source: "startup" | "resume" }
    | { event: "pre_compact"; trigger: "auto" | "manual" }
  );

/** The hooks' combined answer to one event. */
export interface HookOutcome {
  /**
   * Set when a hook blocked: for `pre_tool_use` the call is refused and this is the tool result the model sees; for
   * `user_prompt_submit` the prompt is refused and the user sees this; for `stop` the agent continues with this as
   * feedback; for `post_tool_use` it is feedback to the model (the tool already ran).
   */
  block?: string;
  /** `pre_tool_use`: the tool input to use instead of the model's. */
  updatedInput?: unknown;
  /** Text the model gets as extra context (user_prompt_submit, session_start, post_tool_use). */
  additionalContext?: string;
  /** For the user only: hook failures, timeouts, a hook's `systemMessage`. */
  notices?: string[];
}

/** The extension point an agent calls at each hook event; it must not throw (failures become notices). */
export interface AgentHooks {
  run(event: HookEvent, signal: AbortSignal): Promise<HookOutcome>;
}

/**
 * The tool hooks of `hooks` only, for sub-agents (the task tool, swarm): a policy on tool calls must hold for the
 * agents a model starts, while their prompts and answers are not the user's and do not fire prompt/stop hooks.
 */
export function toolHooksOnly(hooks: AgentHooks): AgentHooks {
  return {
    run: (event, signal) =>
      event.event === "pre_tool_use" || event.event === "post_tool_use"
        ? hooks.run(event, signal)
        : Promise.resolve({}),
  };
}

/** How many times one turn may be kept going by stop hooks, so a hook that always blocks cannot loop forever. */
export const MAX_STOP_HOOK_CONTINUES = 3;

/** The text of a prompt's parts, as the `user_prompt_submit` hook sees it. */
export function promptText(parts: ReadonlyArray<{ type: string; text?: string }>): string {
  return parts
    .filter((p) => p.type === "text" && typeof p.text === "string")
    .map((p) => p.text)
    .join("\n");
}

/** Context a hook added, as a tagged block the model can tell apart from the user's own words. */
export function hookContextText(event: HookEventName, text: string): string {
  return `<hook-context event="${event}">\n${text}\n</hook-context>`;
}
