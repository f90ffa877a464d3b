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

/** The JSON a hook reads on stdin, shaped like Claude Code's hook input (snake_case fields). */
export function hookInput(event: HookEvent): Record<string, unknown> {
  const common = {
    session_id: event.session.id,
    cwd: event.cwd,
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
