import type { HookEvent, HookEventName } from "@codetether/core";

/** Claude Code's names for the events, sent as `hook_event_name` so hooks written for it work unchanged. */
export const CLAUDE_EVENT_NAMES: Record<HookEventName, string> = {
  pre_tool_use: "PreToolUse",
  post_tool_use: "PostToolUse",
  user_prompt_submit: "UserPromptSubmit",
  stop: "Stop",
  session_start: "SessionStart",
  pre_compact: "PreCompact",
};

/** What a hook's matcher is tested against: the tool id, the session_start source, the pre_compact trigger. */
export function matcherSubject(event: HookEvent): string | undefined {
  switch (event.event) {
    case "pre_tool_use":
    case "post_tool_use":
      return event.tool;
    case "session_start":
      return event.source;
    case "pre_compact":
      return event.trigger;
    default:
      return undefined;
  }
}

/** Claude Code's permission modes that codetether's permission states map to. */
export type ClaudePermissionMode = "default" | "plan" | "dontAsk" | "bypassPermissions";

/**
 * codetether's permission state as Claude Code's `permission_mode`: plan mode is "plan"; a person answering `ask`
 * rules (TUI, editor) is "default"; without one, `--yes`/`auto_approve = "all"` approves every `ask` rule
 * ("bypassPermissions", though deny rules and workspace confinement still hold), and "none"/"safe" refuse what would
 * need a person ("dontAsk"; "safe" still approves reads). Tools without a gate run unchecked: "bypassPermissions".
 */
export function permissionMode(state: HookEvent["permissions"]): ClaudePermissionMode {
  if (!state) return "bypassPermissions";
  if (state.planMode) return "plan";
  if (state.interactive) return "default";
  return state.autoApprove === "all" ? "bypassPermissions" : "dontAsk";
}

/**
 * The JSON a hook reads on stdin, shaped like Claude Code's hook input (snake_case fields). `transcript_path` is the
 * session's JSON file (codetether's format, not Claude Code's JSONL), null when the session is not saved.
 */
export function hookInput(event: HookEvent): Record<string, unknown> {
  const common = {
    session_id: event.session.id,
    transcript_path: event.transcriptPath ?? null,
    cwd: event.cwd,
    permission_mode: permissionMode(event.permissions),
    hook_event_name: CLAUDE_EVENT_NAMES[event.event],
    codetether_event: event.event,
  };
  switch (event.event) {
    case "pre_tool_use":
      return { ...common, tool_name: event.tool, tool_input: event.input, tool_use_id: event.callId };
    case "post_tool_use":
      return {
        ...common,
        tool_name: event.tool,
        tool_input: event.input,
        tool_use_id: event.callId,
        tool_response: {
          output: event.response.output,
          is_error: event.response.isError ?? false,
          ...(event.response.metadata ? { metadata: event.response.metadata } : {}),
        },
      };
    case "user_prompt_submit":
      return { ...common, prompt: event.prompt };
    case "stop":
      return { ...common, stop_hook_active: event.stopHookActive, last_assistant_message: event.text };
    case "session_start":
      return { ...common, source: event.source };
    case "pre_compact":
      return { ...common, trigger: event.trigger, custom_instructions: "" };
  }
}
