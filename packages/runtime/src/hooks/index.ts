export { decideHook, type HookDecision } from "./hook-decision.js";
export { CLAUDE_EVENT_NAMES, type ClaudePermissionMode, hookInput, permissionMode } from "./hook-input.js";
export { hookMatches } from "./hook-matcher.js";
export { type HookProcessResult, runHookCommand } from "./run-hook-command.js";
export { createShellHooks, DEFAULT_HOOK_TIMEOUT_S, type ShellHooksOptions } from "./shell-hooks.js";
