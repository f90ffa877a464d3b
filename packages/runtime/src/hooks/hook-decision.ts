import type { HookEventName } from "@codetether/core";
import type { HookProcessResult } from "./run-hook-command.js";

/** What one hook run decided, for the agent and for the audit record. */
export interface HookDecision {
  /** `continue`, `block`, `warn` (failed, shown to the user), `timeout`. */
  decision: "continue" | "block" | "warn" | "timeout";
  block?: string;
  updatedInput?: unknown;
  additionalContext?: string;
  notice?: string;
}

/** Events whose exit 2 blocks something; for the others it only warns. */
const BLOCKING: ReadonlySet<HookEventName> = new Set([
  "pre_tool_use",
  "post_tool_use",
  "user_prompt_submit",
  "stop",
]);

/** Events whose plain (non-JSON) stdout is context for the model, as in Claude Code. */
const STDOUT_IS_CONTEXT: ReadonlySet<HookEventName> = new Set(["user_prompt_submit", "session_start"]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/**
 * Reads a finished hook the way Claude Code does: exit 0 continues (JSON on stdout may block, replace the tool
 * input or add context), exit 2 blocks with stderr as the reason, any other exit warns and the run continues.
 */
export function decideHook(event: HookEventName, label: string, run: HookProcessResult): HookDecision {
  if (run.timedOut)
    return { decision: "timeout", notice: `hook ${label} timed out and was killed; continuing without it` };
  if (run.spawnError !== undefined)
    return { decision: "warn", notice: `hook ${label} could not start: ${run.spawnError}` };
  const stderr = run.stderr.trim();
  if (run.exitCode === 2) {
    if (!BLOCKING.has(event))
      return {
        decision: "warn",
        notice: `hook ${label} exited 2 (${event} cannot be blocked)${stderr ? `: ${stderr}` : ""}`,
      };
    return { decision: "block", block: stderr || `Blocked by the ${event} hook ${label}.` };
  }
  if (run.exitCode !== 0)
    return {
      decision: "warn",
      notice: `hook ${label} exited with code ${run.exitCode ?? "?"}${stderr ? `: ${stderr}` : ""}`,
    };
  return decideFromStdout(event, label, run.stdout);
}

function decideFromStdout(event: HookEventName, label: string, stdout: string): HookDecision {
  const out = stdout.trim();
  if (!out.startsWith("{")) {
    return STDOUT_IS_CONTEXT.has(event) && out
      ? { decision: "continue", additionalContext: out }
      : { decision: "continue" };
  }
  let json: unknown;
  try {
    json = JSON.parse(out);
  } catch (err) {
    return { decision: "warn", notice: `hook ${label} printed invalid JSON: ${(err as Error).message}` };
  }
  if (!isObject(json)) return { decision: "continue" };
  const specific = isObject(json.hookSpecificOutput) ? json.hookSpecificOutput : {};
  const result: HookDecision = { decision: "continue" };
  const message = text(json.systemMessage);
  if (message) result.notice = message;
  const context = text(specific.additionalContext);
  if (context) result.additionalContext = context;
  if (event === "pre_tool_use" && isObject(specific.updatedInput))
    result.updatedInput = specific.updatedInput;
  const denied = specific.permissionDecision === "deny" || json.decision === "block";
  if (denied && BLOCKING.has(event)) {
    result.decision = "block";
    result.block =
      text(specific.permissionDecisionReason) ??
      text(json.reason) ??
      `Blocked by the ${event} hook ${label}.`;
    delete result.updatedInput;
  }
  return result;
}
