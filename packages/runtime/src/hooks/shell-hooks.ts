import type { AgentHooks, HookEvent, HookOutcome, HooksConfig } from "@codetether/core";
import type { AuditEntry } from "@codetether/security";
import { decideHook } from "./hook-decision.js";
import { hookInput, matcherSubject } from "./hook-input.js";
import { hookMatches } from "./hook-matcher.js";
import { runHookCommand } from "./run-hook-command.js";

/** Seconds a hook may run when its table sets no `timeout`. */
export const DEFAULT_HOOK_TIMEOUT_S = 60;

export interface ShellHooksOptions {
  hooks: HooksConfig;
  /** The environment hooks inherit (plus CODETETHER_PROJECT_DIR, CLAUDE_PROJECT_DIR, CODETETHER_SESSION_ID). */
  env: Record<string, string | undefined>;
  /** The workspace root, exported to hooks as CODETETHER_PROJECT_DIR (and CLAUDE_PROJECT_DIR). */
  projectDir: string;
  /** Appends one audit record (the audit log redacts secrets). */
  audit: (entry: AuditEntry) => Promise<void>;
  /** Masks known secrets in what hooks send back to the model and the user. */
  mask: (text: string) => Promise<string>;
}

const shorten = (command: string) => (command.length > 60 ? `${command.slice(0, 57)}...` : command);

/**
 * The agent's hooks as shell commands from config `[[hooks.<event>]]`: every matching hook of an event runs in
 * order, the event as JSON on stdin; a hook that blocks ends the event (later hooks do not run); a tool input one
 * hook replaced is what the next hook sees. Each run is audited. Undefined when no hook is configured.
 */
export function createShellHooks(options: ShellHooksOptions): AgentHooks | undefined {
  const configured = Object.values(options.hooks).some((list) => list.length > 0);
  if (!configured) return undefined;
  return {
    async run(event: HookEvent, signal: AbortSignal): Promise<HookOutcome> {
      const outcome: HookOutcome = {};
      const contexts: string[] = [];
      const notices: string[] = [];
      let current: HookEvent = event;
      const subject = matcherSubject(event);
      for (const hook of options.hooks[event.event]) {
        if (!hookMatches(hook.matcher, subject) || signal.aborted) continue;
        const label = `"${shorten(hook.command)}" (${event.event})`;
        const timeoutS = hook.timeout ?? DEFAULT_HOOK_TIMEOUT_S;
        const run = await runHookCommand({
          command: hook.command,
          cwd: event.cwd,
          env: {
            ...options.env,
            CODETETHER_PROJECT_DIR: options.projectDir,
            CLAUDE_PROJECT_DIR: options.projectDir,
            CODETETHER_SESSION_ID: event.session.id,
            CODETETHER_HOOK_EVENT: event.event,
          },
          input: JSON.stringify(hookInput(current)),
          timeoutMs: timeoutS * 1000,
          signal,
        });
        const decided = decideHook(event.event, label, run);
        if (decided.decision === "timeout") decided.notice = `${decided.notice} (timeout ${timeoutS}s)`;
        await options
          .audit({
            actor: `agent:${event.session.id}`,
            action: "hook.run",
            resource: event.event,
            outcome:
              decided.decision === "block"
                ? "denied"
                : decided.decision === "continue"
                  ? "success"
                  : "failure",
            details: {
              event: event.event,
              command: hook.command,
              ...(hook.matcher !== undefined ? { matcher: hook.matcher } : {}),
              ...(subject !== undefined ? { subject } : {}),
              exit_code: run.exitCode,
              duration_ms: run.durationMs,
              decision: decided.decision,
              ...(decided.updatedInput !== undefined ? { updated_input: true } : {}),
              ...(run.timedOut ? { timed_out: true, timeout_s: timeoutS } : {}),
            },
          })
          .catch((err: Error) => notices.push(`audit of hook ${label} failed: ${err.message}`));
        if (decided.notice) notices.push(await options.mask(decided.notice));
        if (decided.additionalContext) contexts.push(await options.mask(decided.additionalContext));
        if (decided.updatedInput !== undefined && current.event === "pre_tool_use") {
          outcome.updatedInput = decided.updatedInput;
          current = { ...current, input: decided.updatedInput };
        }
        if (decided.decision === "block") {
          outcome.block = await options.mask(decided.block ?? "");
          break;
        }
      }
      if (contexts.length) outcome.additionalContext = contexts.join("\n");
      if (notices.length) outcome.notices = notices;
      return outcome;
    },
  };
}
