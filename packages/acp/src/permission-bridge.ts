import type {
  PermissionOption,
  RequestPermissionRequest,
  RequestPermissionResponse,
} from "@agentclientprotocol/sdk";
import type { PermissionAnswer, PermissionPrompt } from "@codetether/core";
import { toolKind, toolLocations, toolTitle } from "./tool-call-info.js";

/** The choices offered for a permission rule of kind `ask`. */
export const PERMISSION_OPTIONS: PermissionOption[] = [
  { optionId: "allow_once", name: "Allow once", kind: "allow_once" },
  { optionId: "allow_always", name: "Always allow", kind: "allow_always" },
  { optionId: "reject_once", name: "Reject", kind: "reject_once" },
];

const ANSWERS: Record<string, PermissionAnswer> = {
  allow_once: "once",
  allow_always: "always",
  reject_once: "deny",
};

/** Maps the editor's answer to the gate's; cancelled or unknown options reject. */
export function answerFor(response: RequestPermissionResponse): PermissionAnswer {
  if (response.outcome.outcome !== "selected") return "deny";
  return ANSWERS[response.outcome.optionId] ?? "deny";
}

/**
 * Remembers the tool calls of the running turn (from `tool-start` events, which come right before the
 * permission check) so a gate prompt, which only knows tool and arguments, can name its tool call.
 */
export class PendingToolCalls {
  private readonly calls = new Map<string, { tool: string; key: string }>();

  start(callId: string, tool: string, args: unknown): void {
    this.calls.set(callId, { tool, key: JSON.stringify(args ?? null) });
  }

  end(callId: string): void {
    this.calls.delete(callId);
  }

  find(tool: string, args: unknown): string | undefined {
    const key = JSON.stringify(args ?? null);
    for (const [id, call] of this.calls) if (call.tool === tool && call.key === key) return id;
    for (const [id, call] of this.calls) if (call.tool === tool) return id;
    return undefined;
  }
}

export interface PermissionBridgeOptions {
  sessionId: string;
  cwd: string;
  pending: PendingToolCalls;
  request(params: RequestPermissionRequest): Promise<RequestPermissionResponse>;
  /** Aborted when the turn is cancelled: an open question is then answered "reject". */
  signal(): AbortSignal | undefined;
}

/** A `RuleGate` prompt that asks the editor through `session/request_permission`. */
export function createPermissionPrompt(options: PermissionBridgeOptions) {
  let fallbackId = 0;
  return async (prompt: PermissionPrompt): Promise<PermissionAnswer> => {
    const toolCallId = options.pending.find(prompt.toolId, prompt.args) ?? `permission-${++fallbackId}`;
    const signal = options.signal();
    if (signal?.aborted) return "deny";
    const asked = options.request({
      sessionId: options.sessionId,
      toolCall: {
        toolCallId,
        title: toolTitle(prompt.toolId, prompt.args),
        kind: toolKind(prompt.toolId),
        status: "pending",
        locations: toolLocations(prompt.toolId, prompt.args, options.cwd),
        rawInput: prompt.args,
      },
      // "Always" allows every later call of the tool, whatever its arguments: the option's name says so.
      options: PERMISSION_OPTIONS.map((o) =>
        o.kind === "allow_always"
          ? { ...o, name: `Always allow ${prompt.toolId} (every call, this session)` }
          : o,
      ),
    });
    if (!signal) return answerFor(await asked);
    const cancelled = new Promise<PermissionAnswer>((resolve) => {
      signal.addEventListener("abort", () => resolve("deny"), { once: true });
    });
    return Promise.race([asked.then(answerFor), cancelled]);
  };
}
